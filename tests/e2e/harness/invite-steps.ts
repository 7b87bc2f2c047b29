/**
 * A person's steps with the extension's invite composer and its edit page, shared by the e2e files that invite
 * from Roundcube's compose screen (invite-flow, attendee-journey, own-invitation-edit) and edit what they sent.
 */
import type {BrowserContext, Locator, Page} from 'playwright-core';
import {expect} from 'vitest';
import type {SandboxAccount} from '../../sandbox/index.ts';
import {uidOf} from './calendar-event.ts';
import {waitForMessage, type ArrivedMessage, type Endpoint} from './mailbox.ts';
import {openCompose, typeRecipients} from './roundcube.ts';

/** The composer's host element in the compose page, and its dialog. */
export type InviteComposer = {composer: Locator; dialog: Locator};

/**
 * Roundcube's compose screen with To and Subject filled, then its Add invite button: the composer, once it shows
 * the subject as the invitation's title.
 */
export async function openInviteComposer(page: Page, webmailUrl: string, mail: {to: string[]; subject: string}): Promise<InviteComposer> {
	await openCompose(page, webmailUrl);
	await typeRecipients(page, mail.to);
	await page.locator('#compose-subject').fill(mail.subject);
	await page.getByRole('button', {name: 'Add invite', exact: true}).click();
	const composer = page.locator('purelymail-invites-composer');
	const dialog = composer.getByRole('dialog', {name: 'Add invite'});
	await dialog.waitFor();
	await expect.poll(async () => dialog.getByLabel('Title', {exact: true}).inputValue()).toBe(mail.subject);
	return {composer, dialog};
}

/** The meeting's date and start time, one hour long (the duration button), and its place when given. */
export async function fillMeeting(dialog: Locator, meeting: {date: string; start: string; location?: string}): Promise<void> {
	await dialog.getByLabel('Date', {exact: true}).fill(meeting.date);
	await dialog.getByLabel('Start time', {exact: true}).fill(meeting.start);
	await dialog.getByRole('button', {name: 'Duration 1 h', exact: true}).click();
	if (meeting.location !== undefined) {
		await dialog.getByLabel('Location', {exact: true}).fill(meeting.location);
	}
}

/** Send invite, until the composer says the invitation is sent. */
export async function sendInvite({composer, dialog}: InviteComposer): Promise<void> {
	await dialog.getByRole('button', {name: 'Send invite'}).click();
	await composer.getByRole('heading', {name: 'Invitation sent'}).waitFor({timeout: 60_000});
}

/** The REQUEST for `subject` in each attendee's INBOX, by address, and the event's UID, the same in every one. */
export async function requestsFor(imap: Endpoint, attendees: SandboxAccount[], subject: string): Promise<{requests: Map<string, ArrivedMessage>; uid: string}> {
	const requests = new Map<string, ArrivedMessage>();
	for (const attendee of attendees) {
		requests.set(attendee.email, await waitForMessage(imap, attendee, message => message.calendarMethod === 'REQUEST' && message.subject.includes(subject)));
	}

	const uids = [...requests.values()].map(request => uidOf(request.calendar!));
	expect(new Set(uids).size, 'one event UID in every attendee\'s invitation').toBe(1);
	return {requests, uid: uids[0]!};
}

/** Clicks an Edit button (the popup's or the card's) and returns the edit page that opens, once it shows its dialog. */
export async function openEditPage(context: BrowserContext, edit: Locator): Promise<{editor: Page; dialog: Locator}> {
	const opens = context.waitForEvent('page', page => page.url().includes('/edit.html'));
	await edit.click();
	const editor = await opens;
	await editor.setViewportSize({width: 1000, height: 860});
	const dialog = editor.getByRole('dialog', {name: 'Edit invitation'});
	await dialog.waitFor({timeout: 30_000});
	return {editor, dialog};
}

/** Each labelled field's value in a dialog, as `{label: value}`. */
export async function fieldValues(dialog: Locator, labels: string[]): Promise<Record<string, string>> {
	const values: Record<string, string> = {};
	for (const label of labels) {
		values[label] = await dialog.getByLabel(label, {exact: true}).inputValue();
	}

	return values;
}

/**
 * In the edit page of a 10:00–11:00 meeting nothing has changed yet; the start moves to 12:00, the end follows to
 * 13:00, and the plan says both attendees get the new time.
 */
export async function moveToNoon(dialog: Locator, attendees: [string, string]): Promise<void> {
	const plan = dialog.locator('.pmi-update-plan');
	await expect.poll(async () => plan.textContent()).toBe('Nothing has changed: nobody will be told.');
	await dialog.getByLabel('Start time', {exact: true}).fill('12:00');
	await expect.poll(async () => dialog.getByLabel('End time', {exact: true}).inputValue()).toBe('13:00');
	await expect.poll(async () => plan.textContent()).toBe(`${attendees[0]} and ${attendees[1]} get the new time and are asked to answer again.`);
}

/** Send update, until the edit page says the update is sent. */
export async function sendUpdate(editor: Page, dialog: Locator): Promise<void> {
	await dialog.getByRole('button', {name: 'Send update'}).click();
	await editor.getByRole('heading', {name: 'Update sent'}).waitFor({timeout: 60_000});
}
