/** The contacts rule of the invitation policy: address books (synced on a miss, once a tick) plus invited and answered addresses. */
import {describe, expect, test} from 'vitest';
import {vcardEmails} from '../../../lib/contacts/address-books.ts';
import {contactsPort, knownAddresses, type ContactsSource} from '../../../lib/contacts/contacts-port.ts';
import type {ContactsCopy} from '../../../lib/contacts/types.ts';
import type {InvitationRecord} from '../../../lib/attendee/types.ts';
import type {TrackedEvent} from '../../../lib/model.ts';

function copyWith(...emails: string[]): ContactsCopy {
	return {books: {'https://dav.example/book/': {cards: {'https://dav.example/book/a.vcf': {etag: '"1"', emails}}}}, syncedAt: '2026-12-01T00:00:00Z'};
}

function source(stored: ContactsCopy, server: ContactsCopy, known = new Set<string>()): ContactsSource & {syncs: number; saved: ContactsCopy[]} {
	const state = {syncs: 0, saved: [] as ContactsCopy[]};
	return Object.assign(state, {
		async sync() {
			state.syncs++;
			return server;
		},
		async load() {
			return {copy: state.saved.at(-1) ?? stored, known};
		},
		async save(copy: ContactsCopy) {
			state.saved.push(copy);
		},
	});
}

describe('contactsPort', () => {
	test('an address in the stored copy is a contact without asking the server', async () => {
		const from = source(copyWith('ann@example.org'), copyWith());
		expect(await contactsPort(from).isContact('Ann@Example.org')).toBe(true);
		expect(from.syncs).toBe(0);
	});

	test('a miss syncs once a tick (a contact added since is found), and a second miss does not sync again', async () => {
		const from = source(copyWith(), copyWith('new@example.org'));
		const port = contactsPort(from);
		expect(await port.isContact('new@example.org')).toBe(true);
		expect(await port.isContact('stranger@example.org')).toBe(false);
		expect(from.syncs).toBe(1);
		expect(from.saved).toEqual([copyWith('new@example.org')]);
	});

	test('invited and answered addresses count without the address books', async () => {
		const events = {e: {attendees: [{email: 'Guest@Example.org', optional: false, partstat: 'NEEDS-ACTION'}]}} as unknown as Record<string, TrackedEvent>;
		const invitations = {
			a: {organizer: 'answered@example.org', partstat: 'ACCEPTED'},
			b: {organizer: 'waiting@example.org', partstat: 'NEEDS-ACTION'},
		} as unknown as Record<string, InvitationRecord>;
		const known = knownAddresses(events, invitations);
		expect([...known].sort()).toEqual(['answered@example.org', 'guest@example.org']);
		const from = source(copyWith(), copyWith(), known);
		expect(await contactsPort(from).isContact('answered@example.org')).toBe(true);
		expect(from.syncs).toBe(0);
	});

	test('a failing address book read is thrown (the invitation waits), and the next call tries again', async () => {
		const from = source(copyWith(), copyWith('late@example.org'));
		let fail = true;
		const port = contactsPort({...from, async sync(copy, signal) {
			if (fail) {
				throw new Error('503');
			}

			return from.sync(copy, signal);
		}});
		await expect(port.isContact('late@example.org')).rejects.toThrow('503');
		fail = false;
		expect(await port.isContact('late@example.org')).toBe(true);
	});
});

describe('vcardEmails', () => {
	test.each([
		['one vCard 3.0 with two EMAILs', 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann\r\nEMAIL;TYPE=INTERNET:Ann@Example.org\r\nEMAIL:ann@work.example\r\nEND:VCARD\r\n', ['ann@example.org', 'ann@work.example']],
		['a vCard 4.0 with a mailto-less EMAIL', 'BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Bo\r\nEMAIL;PREF=1:bo@example.net\r\nEND:VCARD\r\n', ['bo@example.net']],
		['no EMAIL', 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Cy\r\nEND:VCARD\r\n', []],
		['not a vCard', 'garbage', []],
	])('%s', (_name, text, expected) => {
		expect(vcardEmails(text)).toEqual(expected);
	});
});
