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
