/**
 * Reading Outlook TNEF (winmail.dat) in the relay, with node-tnef: the real Exchange "Zugesagt" answer from the
 * shared fixtures becomes the facts of a REPLY; meeting requests, non-TNEF bytes and crafted files are `none` with
 * a reason; reading prints nothing to stdout (the native relay's channel) and leaves String.prototype alone.
 */
import {readFileSync} from 'node:fs';
import path from 'node:path';
import PostalMime from 'postal-mime';
import {describe, expect, test, vi} from 'vitest';
import {maxTnefBytes, readTnef} from '../../../relay/tnef.ts';

const samples = path.resolve(import.meta.dirname, '../../../../shared/fixtures/itip/samples');

async function winmailOf(name: string): Promise<{bytes: Buffer; from: string}> {
	const email = await PostalMime.parse(readFileSync(path.join(samples, name)));
	const attachment = email.attachments.find(candidate => candidate.mimeType === 'application/ms-tnef');
	if (!attachment) {
		throw new Error(`${name} has no TNEF attachment`);
	}

	return {bytes: Buffer.from(attachment.content as ArrayBuffer), from: email.from?.address ?? ''};
}

describe('readTnef', () => {
	test('the Exchange answer that exists only as winmail.dat is an ACCEPTED meeting response from its sender', async () => {
		const {bytes, from} = await winmailOf('exchange-REPLY-tnef-winmail-zugesagt.eml');
		const reading = await readTnef(bytes);
		expect(reading.kind).toBe('meeting-response');
		if (reading.kind !== 'meeting-response') {
			return;
		}

		expect(reading.messageClass).toBe('IPM.Schedule.Meeting.Resp.Pos');
		expect(reading.partstat).toBe('ACCEPTED');
		// The attendee is the mail's own From, read from the MAPI properties rather than the headers.
		expect(reading.attendee.address.toLowerCase()).toBe(from.toLowerCase());
		// The UID is the iCalendar UID Outlook kept inside PidLidGlobalObjectId, after its vCal-Uid marker.
		expect(bytes.toString('latin1')).toContain(`vCal-Uid\u0001\u0000\u0000\u0000${reading.uid}\u0000`);
		expect(reading.uid).toMatch(/@/);
		expect(reading.sentAt).toMatch(/^\d{4}-\d\d-\d\dT/);
	});

	test.each([
		['outlook-REQUEST-tnef-winmail2.dat', (file: string) => readFileSync(file)],
		['outlook-REQUEST-tnef-meetingrequest.b64.txt', (file: string) => Buffer.from(readFileSync(file, 'latin1').replaceAll(/\s/g, ''), 'base64')],
	])('%s: a meeting request, not an answer: none, naming its message class', async (name, load) => {
		const reading = await readTnef(load(path.join(samples, name)));
		expect(reading).toEqual({kind: 'none', reason: expect.stringMatching(/holds no answer to an invitation \(message class IPM\.\S*Meeting\.Request|MtgReq/) as unknown});
	});

	test('bytes that are not TNEF, a crafted property count, truncations and oversize input: none with a reason, never a throw', async () => {
		const {bytes} = await winmailOf('exchange-REPLY-tnef-winmail-zugesagt.eml');
		expect(await readTnef(Buffer.from('BEGIN:VCALENDAR\r\n'))).toEqual({kind: 'none', reason: expect.stringContaining('no TNEF signature') as unknown});
		const crafted = Buffer.from(bytes);
		// The first attribute after the signature is attTnefVersion; find attMsgProps (0x9003) and claim 2^31-1 properties.
		const at = crafted.indexOf(Buffer.from([0x01, 0x03, 0x90]));
		expect(at).toBeGreaterThan(0);
		crafted.writeUInt32LE(0x7F_FF_FF_FF, at + 9);
		expect(await readTnef(crafted)).toEqual({kind: 'none', reason: expect.stringContaining('malformed') as unknown});
		for (const length of [7, 40, 200, Math.floor(bytes.length / 2), bytes.length - 3]) {
			const reading = await readTnef(bytes.subarray(0, length));
			expect(['none', 'meeting-response']).toContain(reading.kind);
		}

		const huge = Buffer.concat([bytes, Buffer.alloc(maxTnefBytes)]);
		expect(await readTnef(huge)).toEqual({kind: 'none', reason: expect.stringContaining('KB decoded') as unknown});
	});

	test('nothing reaches stdout and String.prototype.replaceAll keeps its own meaning', async () => {
		const {bytes} = await winmailOf('exchange-REPLY-tnef-winmail-zugesagt.eml');
		const write = vi.spyOn(process.stdout, 'write');
		try {
			await readTnef(bytes);
			await readTnef(Buffer.from([0x78, 0x9F, 0x3E, 0x22, 0, 0, 0xFF]));
			expect(write).not.toHaveBeenCalled();
		} finally {
			write.mockRestore();
		}

		// node-tnef replaces it with a RegExp-based version on load, where '.' would match every character.
		expect('a.b.c'.replaceAll('.', '-')).toBe('a-b-c');
	});
});
