/**
 * Both sides of an invitation with the extension (issue 13, e2e journey 1), in Debian's Chromium against the
 * sandbox: the organizer invites Alex and Sam to a weekly meeting from Roundcube's compose screen; Alex, in a browser
 * profile of their own with the extension set up for Alex's account, opens the invitation in Roundcube and answers
 * Maybe with a comment on the card; the organizer's reply loop records TENTATIVE with the comment on Radicale, and
 * the organizer's Roundcube shows the reply card over Alex's answer. Sam, in a third profile, declines one
 * occurrence on the card: only that occurrence changes on the organizer's Radicale copy (an override), the series
 * keeps Sam's answer. Screenshots of the reply card, light and dark.
 */
import type {Page} from 'playwright-core';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {createCaldavClient} from '../../lib/caldav/index.ts';
import type {RunningSandbox, SandboxAccount} from '../sandbox/index.ts';
import {keepFailureEvidence} from './harness/artifacts.ts';
import {dateAhead, eventOnServer, readEvent, type ReadEvent} from './harness/calendar-event.ts';
import {shootCard, showMessage} from './harness/invitation-card.ts';
import {fillMeeting, openInviteComposer, requestsFor, sendInvite} from './harness/invite-steps.ts';
import {inboxMessages, waitForMessage, type ArrivedMessage} from './harness/mailbox.ts';
import {checkNowUntil, openPopup} from './harness/popup.ts';
import {openProfile, type Profile} from './harness/profile.ts';
import {discardComposeDraft} from './harness/roundcube.ts';
import {startWebmailServers, type WebmailServers} from './harness/servers.ts';
import type {TlsFront} from './harness/tls-front.ts';

const relayToken = 'e2e-journey-token-0123456789abcdefghij';
const zone = 'Europe/Berlin';
const subject = 'Weekly design sync';
const comment = 'I may be ten minutes late';
/** The first meeting, a week ahead; it repeats weekly four times, at 10:00 in the browsers' zone. */
const firstDate = dateAhead(7);
const secondDate = new Date(Date.parse(`${firstDate}T12:00:00Z`) + (7 * 24 * 60 * 60 * 1000)).toISOString().slice(0, 10);

/** "2026-12-08 10:00" for an instant, in the meeting's zone. */
function localMinute(iso: string): string {
	return new Intl.DateTimeFormat('sv-SE', {timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit'}).format(new Date(iso));
}

describe('the organizer invites, Alex and Sam answer on the card, each with the extension in their own profile', () => {
	let servers: WebmailServers;
	let sandbox: RunningSandbox;
	let front: TlsFront;
	let organizer: SandboxAccount;
	let alex: SandboxAccount;
	let sam: SandboxAccount;
	/** The organizer's profile, open for the whole file (its reply loop records the answers). */
	let host: Profile;
	/** The attendee whose profile is open now. */
	let guest: Profile | undefined;
	let hostWebmail: Page | undefined;
	let guestWebmail: Page | undefined;
	let popup: Page | undefined;
	let requests: Map<string, ArrivedMessage>;
	let uid: string;

	function keepEvidence(): void {
		keepFailureEvidence({
			pages: () => [hostWebmail, popup, guestWebmail],
			recorder: () => ({describe: page => [host, guest].find(profile => profile?.browser.context === page.context())?.browser.recorder.describe(page) ?? `URL: ${page.url()}\n`}),
			sandbox: () => sandbox,
			front: () => front,
		});
	}

	async function organizerCopy(): Promise<ReadEvent & {ics: string}> {
		return eventOnServer(organizer, host.calendarUrl, uid);
	}

	async function attendeeCopy(profile: Profile): Promise<ReadEvent> {
		const found = await createCaldavClient({username: profile.account.email, password: profile.account.password}).findEventByUid(profile.calendarUrl, uid);
		expect(found, `${profile.account.email}'s calendar has the event`).toBeDefined();
		return readEvent(found!.ics);
	}

	/** Opens `account`'s own profile and the invitation in their Roundcube; returns the card. */
	async function openInvitationAs(account: SandboxAccount): Promise<ReturnType<typeof showMessage>> {
		guest = await openProfile(account, servers, {timezoneId: zone});
		guestWebmail = await guest.openWebmail();
		const shown = await showMessage(guestWebmail, guest.webmailUrl, requests.get(account.email)!.uid);
		await expect.poll(async () => shown.getAttribute('data-pmi-card')).toBe('invitation');
		await expect(shown.getByRole('heading', {name: subject}).isVisible()).resolves.toBe(true);
		return shown;
	}

	async function closeGuest(): Promise<void> {
		await guest?.close();
		guest = undefined;
		guestWebmail = undefined;
	}

	beforeAll(async () => {
		servers = await startWebmailServers(relayToken);
		({sandbox, front, people: [organizer, alex, sam]} = servers);
		host = await openProfile(organizer, servers, {timezoneId: zone});
	});

	afterAll(async () => {
		await guest?.close();
		await host?.close();
		await servers?.stop();
	});

	test('the organizer invites Alex and Sam to a weekly meeting from Roundcube\'s compose screen', async () => {
		keepEvidence();
		hostWebmail = await host.openWebmail();
		const composer = await openInviteComposer(hostWebmail, host.webmailUrl, {to: [alex.email, sam.email], subject});
		const {dialog} = composer;
		await fillMeeting(dialog, {date: firstDate, start: '10:00'});
		await dialog.getByLabel('Repeat', {exact: true}).selectOption('weekly');
		await dialog.getByLabel('Number of times', {exact: true}).fill('4');
		await expect(dialog.getByLabel('Ends after a number of times').isChecked()).resolves.toBe(true);
		await sendInvite(composer);
		await discardComposeDraft(hostWebmail);

		({requests, uid} = await requestsFor(sandbox.imap, [alex, sam], subject));
		const stored = await organizerCopy();
		expect(stored.vevent.getFirstPropertyValue('rrule')?.toString()).toMatch(/FREQ=WEEKLY.*COUNT=4|COUNT=4.*FREQ=WEEKLY/);
		expect(stored.ics).toMatch(new RegExp(`^DTSTART;TZID=${zone}:${firstDate.replaceAll('-', '')}T100000\\r?$`, 'm'));
		expect(stored.attendees.get(alex.email)?.partstat).toBe('NEEDS-ACTION');
		expect(stored.attendees.get(sam.email)?.partstat).toBe('NEEDS-ACTION');
		expect(stored.overrides.size).toBe(0);
	});

	test('Alex, in a profile of their own, answers Maybe with a comment on the card; the organizer\'s loop records TENTATIVE with it on Radicale', async () => {
		keepEvidence();
		expect(uid, 'needs the invitation of the test before').toBeDefined();
		const shown = await openInvitationAs(alex);
		// A script of the webmail page clicks Accept for Alex (the e2e build's root is open, so it reaches the button):
		// an untrusted click, which the card ignores; the one answer the organizer gets is Alex's own Maybe below.
		const accept = shown.getByRole('button', {name: 'Accept'});
		await accept.evaluate(button => {
			(button as HTMLButtonElement).click();
		});
		await shown.getByLabel('Comment to the organizer (optional)').fill(comment);
		await shown.getByRole('button', {name: 'Maybe'}).click();
		await shown.locator('.pmi-step-done', {hasText: `sent to ${organizer.email}`}).waitFor({timeout: 60_000});
		await shown.getByText(`You answered Maybe with your comment "${comment}"; it was sent to ${organizer.email}.`).waitFor();
		await expect(shown.getByRole('button', {name: 'Maybe'}).getAttribute('aria-pressed')).resolves.toBe('true');

		// Alex's own calendar: the copy without METHOD, Alex TENTATIVE for the whole series.
		const alexCopy = await attendeeCopy(guest!);
		expect(alexCopy.method).toBeUndefined();
		expect(alexCopy.attendees.get(alex.email)?.partstat).toBe('TENTATIVE');
		expect(alexCopy.overrides.size).toBe(0);
		await closeGuest();

		const reply = await waitForMessage(sandbox.imap, organizer, message => message.calendarMethod === 'REPLY' && message.from === alex.email);
		expect(reply.subject).toBe(`Tentatively accepted: ${subject}`);
		const alexReplies = (await inboxMessages(sandbox.imap, organizer)).filter(message => message.calendarMethod === 'REPLY' && message.from === alex.email);
		expect(alexReplies.map(message => message.subject), 'the page script\'s Accept sent nothing').toEqual([`Tentatively accepted: ${subject}`]);

		// The organizer's reply loop ("Check now" in the popup) writes the answer into the organizer's copy.
		popup = await openPopup(host.browser);
		await checkNowUntil(popup, async () => (await organizerCopy()).attendees.get(alex.email)?.partstat === 'TENTATIVE');
		const stored = await organizerCopy();
		expect(stored.attendees.get(alex.email)?.params['x-pmi-comment']).toBe(comment);
		expect(stored.attendees.get(sam.email)?.partstat).toBe('NEEDS-ACTION');
		expect(stored.overrides.size).toBe(0);

		// The organizer's Roundcube shows the reply card over Alex's answer: recorded.
		const answered = await showMessage(hostWebmail!, host.webmailUrl, reply.uid);
		await expect.poll(async () => answered.getAttribute('data-pmi-card')).toBe('reply');
		// The invitation lists Alex by address (typed into To), so the card names Alex by it.
		await answered.getByText(`${alex.email} answered maybe — recorded in your calendar`).waitFor();
		// Drawn as the other cards are: the heading above the event, not beside it.
		const heading = await answered.getByRole('heading', {name: 'Answer to your invitation'}).boundingBox();
		const title = await answered.getByRole('heading', {name: subject}).boundingBox();
		expect(heading!.y + heading!.height).toBeLessThanOrEqual(title!.y);
		await shootCard(hostWebmail!, 'reply', answered);
	});

	test('Sam, in a third profile, declines one occurrence on the card: only that occurrence changes on the organizer\'s copy', async () => {
		keepEvidence();
		expect(uid, 'needs the invitation of the tests before').toBeDefined();
		const before = await organizerCopy();
		const shown = await openInvitationAs(sam);
		await shown.getByText('This one:').click();
		const picker = shown.getByRole('combobox', {name: 'Occurrence'});
		await expect(picker.isEnabled()).resolves.toBe(true);
		const offered = await picker.locator('option').evaluateAll(options => options.map(option => (option as HTMLOptionElement).value));
		const second = offered.find(id => localMinute(id) === `${secondDate} 10:00`);
		expect(second, `the second meeting (${secondDate} 10:00) among ${offered.join(', ')}`).toBeDefined();
		await picker.selectOption(second!);
		await shown.getByRole('button', {name: 'Decline'}).click();
		await shown.locator('.pmi-step-done', {hasText: `sent to ${organizer.email}`}).waitFor({timeout: 60_000});

		// Sam's own copy: the series as it was, the one occurrence declined in an override.
		const occurrence = `${secondDate.replaceAll('-', '')}T100000`;
		const samCopy = await attendeeCopy(guest!);
		expect(samCopy.attendees.get(sam.email)?.partstat).toBe('NEEDS-ACTION');
		expect([...samCopy.overrides.keys()]).toEqual([occurrence]);
		expect(samCopy.overrides.get(occurrence)?.get(sam.email)?.partstat).toBe('DECLINED');
		await closeGuest();

		const reply = await waitForMessage(sandbox.imap, organizer, message => message.calendarMethod === 'REPLY' && message.from === sam.email);
		expect(reply.subject).toBe(`Declined: ${subject}`);
		expect(reply.calendar!.replaceAll(/\r?\n[ \t]/g, '')).toMatch(new RegExp(`^RECURRENCE-ID;TZID=${zone}:${occurrence}\\r?$`, 'm'));

		popup ??= await openPopup(host.browser);
		await checkNowUntil(popup, async () => (await organizerCopy()).overrides.has(occurrence));
		const after = await organizerCopy();
		// Only that occurrence: one override, Sam DECLINED in it; the series keeps Sam's and Alex's answers.
		expect([...after.overrides.keys()]).toEqual([occurrence]);
		expect(after.overrides.get(occurrence)?.get(sam.email)?.partstat).toBe('DECLINED');
		expect(after.attendees.get(sam.email)?.partstat).toBe(before.attendees.get(sam.email)?.partstat);
		expect(after.attendees.get(sam.email)?.partstat).toBe('NEEDS-ACTION');
		expect(after.attendees.get(alex.email)?.partstat).toBe('TENTATIVE');
		expect(after.vevent.getFirstPropertyValue('rrule')?.toString()).toBe(before.vevent.getFirstPropertyValue('rrule')?.toString());
	});
});
