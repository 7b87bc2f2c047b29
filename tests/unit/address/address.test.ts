/**
 * The one address rule (lib/address.ts, issue 11 item 2): what the composer accepts is exactly what buildInvite,
 * composeInviteMail and the relay's request check accept, so an accepted address can always be sent.
 */
import fc from 'fast-check';
import {describe, expect, test} from 'vitest';
import {addressProblem, isEmailAddress, normalizeAddress, smtpAddress} from '../../../lib/address.ts';
import {sendItipMail} from '../../../lib/invites/index.ts';
import {buildInvite} from '../../../lib/itip/index.ts';
import type {SendRequest} from '../../../lib/relay-client/types.ts';
import {defaultSettings} from '../../../lib/storage.ts';
import {initialComposerForm, toInviteDraft} from '../../../lib/ui/composer-form.ts';
import {parseSendRequest} from '../../../relay/validate.ts';

describe('the address rule', () => {
	test.each([
		['alex@example.org', undefined],
		['Alex.Smith+team@Example.ORG', undefined],
		['o\'brien@example.ie', undefined],
		['bob@münchen.de', undefined],
		['jürgen@example.com', /cannot be sent to/],
		['a..b@example.com', /not a complete/],
		['.a@example.com', /not a complete/],
		['a.@example.com', /not a complete/],
		['"a b"@example.com', /not a complete/],
		['a@example', /not a complete/],
		['a@123.456', /not a complete/],
		['a@exa_mple.com', /not a complete/],
		['a@example.com/x', /not a complete/],
		['a@-example.com', /not a complete/],
		[`${'a'.repeat(65)}@example.com`, /not a complete/],
		[`a@${'b'.repeat(64)}.com`, /not a complete/],
		['a@b@example.com', /not a complete/],
		['alex', /no @/],
	])('%s', (address, problem) => {
		if (problem) {
			expect(addressProblem(address)).toMatch(problem);
			expect(isEmailAddress(address)).toBe(false);
		} else {
			expect(addressProblem(address)).toBeUndefined();
		}
	});

	test('SMTP gets the domain in punycode (RFC 5891); comparisons ignore case and mailto:', () => {
		expect(smtpAddress(' bob@münchen.de ')).toBe('bob@xn--mnchen-3ya.de');
		expect(smtpAddress('Alex@Example.org')).toBe('Alex@example.org');
		expect(normalizeAddress('MAILTO:<Alex@Example.org>')).toBe('alex@example.org');
	});
});

const now = new Date('2026-11-20T08:00:00Z');

/** What the relay would be asked: the composer's draft built, composed and handed to the relay client. */
async function relayRequestFor(email: string): Promise<SendRequest> {
	const form = {...initialComposerForm({now, timeZone: 'Europe/Berlin', subject: 'Planning'}), attendees: [{email, optional: false}]};
	const drafted = toInviteDraft(form);
	if (!drafted.ok) {
		throw new Error(`the composer refused ${email}: ${JSON.stringify(drafted.errors)}`);
	}

	const organizer = {email: 'ann@example.org', name: 'Ann'};
	const built = buildInvite({...drafted.draft, organizer, now});
	let request: SendRequest | undefined;
	await sendItipMail({
		account: {...organizer, password: 'p', aliases: []},
		settings: defaultSettings,
		relay: {
			async send(sent) {
				request = sent;
				return {messageId: null, accepted: sent.envelope.to, rejected: []};
			},
		},
		now: () => now,
	}, {kind: 'invitation', method: 'REQUEST', event: {...drafted.draft, organizer}, calendar: built.request, recipients: built.recipients});
	return request!;
}

describe('an address the composer accepts can be sent', () => {
	test('an address in another script\'s domain: punycode in the envelope and the To header, accepted by the relay', async () => {
		const request = await relayRequestFor('Bob@München.de');
		expect(parseSendRequest(JSON.parse(JSON.stringify(request)) as unknown).envelope.to).toEqual(['bob@xn--mnchen-3ya.de']);
		expect(request.raw).toMatch(/^To: <?bob@xn--mnchen-3ya\.de>?\r$/m);
	});

	test('any text: refused by the composer with the field named, or accepted by every step to the relay', async () => {
		const atoms = fc.constantFrom('a', 'B', 'ü', '.', '..', '-', '_', '+', '"', ' ', '@', 'xn--', 'ä', '/', '1', '\'', 'é', 'ß', '。');
		const text = fc.oneof(
			fc.emailAddress(),
			fc.string({unit: 'grapheme', maxLength: 30}),
			fc.array(atoms, {maxLength: 12}).map(parts => parts.join('')),
			fc.tuple(fc.array(atoms, {minLength: 1, maxLength: 6}), fc.array(atoms, {minLength: 1, maxLength: 6})).map(([local, domain]) => `${local.join('')}@${domain.join('')}.de`),
		);
		await fc.assert(fc.asyncProperty(text, async email => {
			const form = {...initialComposerForm({now, timeZone: 'Europe/Berlin', subject: 'Planning'}), attendees: [{email, optional: false}]};
			const drafted = toInviteDraft(form);
			if (!drafted.ok) {
				expect(Object.keys(drafted.errors)).toEqual(['attendees']);
				return;
			}

			const request = await relayRequestFor(email);
			expect(parseSendRequest(JSON.parse(JSON.stringify(request)) as unknown).envelope.to).toEqual([smtpAddress(normalizeAddress(email))]);
		}), {numRuns: 400});
	});
});
