import type {SandboxAccount} from './types.ts';

export const sandboxDomain = 'sandbox.test';

/** The demo accounts: the organizer first, then attendees. Test passwords, printed at start-up. */
export const demoAccounts: SandboxAccount[] = [
	{id: 'organizer', email: 'organizer@sandbox.test', name: 'Olivia Organizer', password: 'organizer-pass'},
	{id: 'alex', email: 'alex@sandbox.test', name: 'Alex Attendee', password: 'alex-pass'},
	{id: 'sam', email: 'sam@sandbox.test', name: 'Sam Attendee', password: 'sam-pass'},
];

/** Mail to any address outside the sandbox is kept here, never sent out. */
export const catchAllAccount: SandboxAccount = {
	id: 'catchall', email: 'catchall@sandbox.test', name: 'Outside mail', password: 'catchall-pass',
};

/** Recipients in this domain are refused by the SMTP server (550), to test rejected attendees. */
export const rejectedDomain = 'rejected.test';

/**
 * `count` more mailboxes, `team01@sandbox.test` … (for the agent's many-mailbox tests): organizers too, each with
 * its own IMAP mailbox and CalDAV calendar.
 */
export function teamAccounts(count: number): SandboxAccount[] {
	return Array.from({length: count}, (_unused, index) => {
		const id = `team${String(index + 1).padStart(2, '0')}`;
		return {id, email: `${id}@sandbox.test`, name: `Team member ${index + 1}`, password: `${id}-pass`};
	});
}
