/**
 * Reading an Outlook TNEF part (winmail.dat, `application/ms-tnef`): Exchange may send an answer to an invitation
 * only this way, with no text/calendar part at all. TNEF is decoded with node-tnef (the TNEF parser on npm); what it
 * gives is the message's MAPI properties, from which the facts of the attendee's REPLY are read here.
 *
 * What node-tnef 1.4.0 does not do, and what this module therefore does around it:
 * - It finds no calendar in a meeting response, because there is none: TNEF carries MAPI properties, and only
 *   attachments and bodies are extracted. The answer (message class), the event (PidLidGlobalObjectId) and the
 *   attendee (sender's SMTP address) are read here from its decoded properties (MS-OXOCAL, MS-OXCICAL).
 * - It drops the LID of named properties (every one comes back as 0x8000), so PidLidGlobalObjectId is recognised by
 *   its fixed 16-byte class id rather than by name, and PidLidAppointmentSequence cannot be read at all: the REPLY
 *   built from this has no SEQUENCE (taken as 0, an answer to the first version).
 * - On load it replaces `String.prototype.replaceAll` for the whole process with a RegExp-based version: it is
 *   loaded lazily, and the original put back at once.
 * - It logs through bunyan to stdout, which in `native` mode is the browser's channel: the synchronous parse runs
 *   with stdout's write muted.
 * - It trusts the MAPI property count (up to 2^31 empty loop turns on a crafted file) and copies the rest of the
 *   buffer for every attribute: the count is checked first, and parts larger than maxTnefBytes are not decoded.
 */
import type * as NodeTnef from 'node-tnef';
import type {MailAddress, TnefReading} from '../lib/relay-client/types.ts';

/** Largest TNEF decoded. A meeting response is about 10 KB; node-tnef's cost grows with the square of the size. */
export const maxTnefBytes = 512 * 1024;

/** The TNEF signature, little-endian at offset 0 (MS-OXTNEF §2.1.3.1). */
const tnefSignature = 0x22_3E_9F_78;

/** attMsgProps: the attribute holding the message's MAPI properties (MS-OXTNEF §2.1.3.3.20). */
const attributeMessageProperties = 0x90_03;

/** MAPI property ids used here (MS-OXPROPS). */
const property = {
	messageClass: 0x00_1A,
	clientSubmitTime: 0x00_39,
	sentRepresentingName: 0x00_42,
	sentRepresentingAddressType: 0x00_64,
	sentRepresentingEmail: 0x00_65,
	senderName: 0x0C_1A,
	senderAddressType: 0x0C_1E,
	senderEmail: 0x0C_1F,
	senderSmtp: 0x5D_01,
	sentRepresentingSmtp: 0x5D_02,
} as const;

const typeString8 = 0x00_1E;
const typeUnicode = 0x00_1F;
const typeBinary = 0x01_02;
const typeTime = 0x00_40;

/** PidLidGlobalObjectId's first 16 bytes, its class id (MS-OXOCAL §2.2.1.27). */
const globalObjectIdClass = Buffer.from([0x04, 0x00, 0x00, 0x00, 0x82, 0x00, 0xE0, 0x00, 0x74, 0xC5, 0xB7, 0x10, 0x1A, 0x82, 0xE0, 0x08]);

/** Data of a global object id made from an iCalendar UID: this marker, then the UID (MS-OXCICAL §2.1.3.1.1.20.26). */
const vcalUidMarker = Buffer.from('vCal-Uid\u0001\u0000\u0000\u0000', 'latin1');

/** Meeting response classes and their answer: the MAPI name and the TNEF attMessageClass spelling. */
const answers: Array<{classes: string[]; partstat: 'ACCEPTED' | 'TENTATIVE' | 'DECLINED'}> = [
	{classes: ['IPM.Schedule.Meeting.Resp.Pos', 'IPM.Microsoft Schedule.MtgRespP'], partstat: 'ACCEPTED'},
	{classes: ['IPM.Schedule.Meeting.Resp.Tent', 'IPM.Microsoft Schedule.MtgRespA'], partstat: 'TENTATIVE'},
	{classes: ['IPM.Schedule.Meeting.Resp.Neg', 'IPM.Microsoft Schedule.MtgRespN'], partstat: 'DECLINED'},
];

type Attribute = {Type: number; Name: number; Data: number[] | undefined};

type Parsed = {attributes: Attribute[]; attachmentTitles: string[]; tnefClass: string | undefined};

let loaded: Promise<typeof NodeTnef> | undefined;

/** node-tnef, loaded once, with String.prototype.replaceAll as it was before (see the module comment). */
async function nodeTnef(): Promise<typeof NodeTnef> {
	loaded ??= (async () => {
		const {replaceAll} = String.prototype;
		try {
			return await import('node-tnef');
		} finally {
			// Undoing node-tnef's own change to the prototype.
			String.prototype.replaceAll = replaceAll;
		}
	})();
	return loaded;
}

/** attMessageClass: the message class in TNEF's own attribute, 8-bit text (MS-OXTNEF §2.1.3.3.1). */
const attributeMessageClass = 0x80_08;

type TopAttribute = {id: number; data: Buffer};

/**
 * The TNEF stream's own attributes (MS-OXTNEF §2.1.3.3): level (1), id (2), type (2), length (4), data, checksum (2).
 * node-tnef walks them too but keeps neither attMessageClass nor a check of the property count, so this short
 * walk is done here.
 */
function topAttributes(bytes: Buffer): TopAttribute[] {
	const found: TopAttribute[] = [];
	let offset = 6;
	while (offset + 9 <= bytes.length) {
		const id = bytes.readUInt16LE(offset + 1);
		const length = bytes.readUInt32LE(offset + 5);
		const start = offset + 9;
		found.push({id, data: bytes.subarray(start, Math.min(bytes.length, start + length))});
		offset = start + length + 2;
	}

	return found;
}

/**
 * Whether every attMsgProps attribute declares no more properties than its bytes could hold (each takes at least
 * 8 bytes): node-tnef loops that many times however short the data is.
 */
function propertyCountsFit(attributes: TopAttribute[]): boolean {
	return attributes
		.filter(attribute => attribute.id === attributeMessageProperties && attribute.data.length >= 4)
		.every(attribute => attribute.data.readUInt32LE(0) <= attribute.data.length / 8);
}

async function parse(bytes: Buffer): Promise<Parsed | string> {
	if (bytes.length < 6 || bytes.readUInt32LE(0) !== tnefSignature) {
		return 'it is not TNEF (no TNEF signature)';
	}

	if (bytes.length > maxTnefBytes) {
		return `it is ${Math.round(bytes.length / 1024)} KB, more than the ${maxTnefBytes / 1024} KB decoded`;
	}

	const top = topAttributes(bytes);
	if (!propertyCountsFit(top)) {
		return 'its MAPI properties are malformed (a count larger than the data)';
	}

	const tnef = await nodeTnef();
	let outcome: {failed: boolean; result: unknown} = {failed: true, result: null};
	// node-tnef logs each parse to stdout through bunyan; stdout is the native relay's channel to the browser.
	const {write} = process.stdout;
	process.stdout.write = () => true;
	try {
		tnef.parseBuffer(bytes, (failed, result) => {
			outcome = {failed, result};
		});
	} catch (error) {
		outcome = {failed: true, result: error};
	} finally {
		process.stdout.write = write;
	}

	if (outcome.failed || typeof outcome.result !== 'object' || outcome.result === null || !('Attachments' in outcome.result)) {
		return 'node-tnef could not decode it';
	}

	const result = outcome.result as NodeTnef.TnefResult;
	return {
		attributes: result.Attributes ?? [],
		attachmentTitles: result.Attachments.map(attachment => attachment.Title ?? '').filter(Boolean),
		tnefClass: top.find(attribute => attribute.id === attributeMessageClass)?.data.toString('latin1').replace(/\0+$/, ''),
	};
}

function stringOf(attribute: Attribute | undefined): string | undefined {
	if (!attribute?.Data) {
		return undefined;
	}

	const bytes = Buffer.from(attribute.Data);
	const text = attribute.Type === typeUnicode ? bytes.toString('utf16le') : (attribute.Type === typeString8 ? bytes.toString('latin1') : undefined);
	return text?.replace(/\0+$/, '');
}

function find(attributes: Attribute[], id: number): Attribute | undefined {
	return attributes.find(attribute => attribute.Name === id);
}

/** FILETIME (100 ns since 1601) to ISO. */
function timeOf(attribute: Attribute | undefined): string | null {
	if (attribute?.Type !== typeTime || attribute.Data?.length !== 8) {
		return null;
	}

	const ticks = Buffer.from(attribute.Data).readBigUInt64LE(0);
	const date = new Date(Number((ticks / 10_000n) - 11_644_473_600_000n));
	return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** The sender's SMTP address: the one answered for first, then the sender's own; X.500 (EX) addresses are not mail addresses. */
function attendeeOf(attributes: Attribute[]): MailAddress | undefined {
	const smtp = (addressId: number, typeId?: number): string | undefined => {
		const address = stringOf(find(attributes, addressId));
		const type = typeId === undefined ? 'SMTP' : stringOf(find(attributes, typeId));
		return address?.includes('@') && type?.toUpperCase() === 'SMTP' ? address : undefined;
	};

	const representing = smtp(property.sentRepresentingSmtp) ?? smtp(property.sentRepresentingEmail, property.sentRepresentingAddressType);
	const sender = smtp(property.senderSmtp) ?? smtp(property.senderEmail, property.senderAddressType);
	const address = representing ?? sender;
	if (address === undefined) {
		return undefined;
	}

	const name = stringOf(find(attributes, representing === undefined ? property.senderName : property.sentRepresentingName)) ?? '';
	return {name, address};
}

type GlobalObjectId = {uid: string; instanceDate: string | null};

/**
 * The event's UID from PidLidGlobalObjectId (MS-OXCICAL §2.1.3.1.1.20.26): the UID itself after the vCal-Uid marker
 * for an event that came from iCalendar (ours do), otherwise the id's bytes in upper-case hex. Bytes 16 to 19 are
 * the year (high, low), month and day of one occurrence, all zero for the whole event.
 */
function globalObjectIdOf(attributes: Attribute[]): GlobalObjectId | undefined {
	const ids = attributes
		.filter(attribute => attribute.Type === typeBinary && attribute.Data !== undefined && attribute.Data.length >= 40)
		.map(attribute => Buffer.from(attribute.Data!))
		.filter(bytes => bytes.subarray(0, 16).equals(globalObjectIdClass));
	// PidLidGlobalObjectId and PidLidCleanGlobalObjectId differ only in the occurrence bytes: prefer the one that has them.
	const id = ids.find(bytes => bytes.readUInt32LE(16) !== 0) ?? ids[0];
	if (!id) {
		return undefined;
	}

	const year = id.readUInt16BE(16);
	const instanceDate = year === 0 ? null : `${String(year).padStart(4, '0')}-${String(id[18]).padStart(2, '0')}-${String(id[19]).padStart(2, '0')}`;
	const size = id.readUInt32LE(36);
	const data = id.subarray(40, 40 + size);
	if (data.subarray(0, vcalUidMarker.length).equals(vcalUidMarker)) {
		const uid = data.subarray(vcalUidMarker.length).toString('utf8').replace(/\0+$/, '');
		return uid === '' ? undefined : {uid, instanceDate};
	}

	const whole = Buffer.from(id);
	whole.fill(0, 16, 20);
	return {uid: whole.toString('hex').toUpperCase(), instanceDate};
}

/**
 * Reads a TNEF part's bytes. Never throws: anything that is not an Outlook answer to a whole event is `none` with
 * the reason, in words for the user.
 */
export async function readTnef(bytes: Buffer): Promise<TnefReading> {
	const parsed = await parse(bytes);
	if (typeof parsed === 'string') {
		return {kind: 'none', reason: `The winmail.dat (Outlook TNEF) attachment was not read: ${parsed}.`};
	}

	const {attributes} = parsed;
	const messageClass = stringOf(find(attributes, property.messageClass)) ?? parsed.tnefClass ?? '';
	const answer = answers.find(candidate => candidate.classes.some(name => name.toLowerCase() === messageClass.toLowerCase()));
	if (!answer) {
		const inside = parsed.attachmentTitles.length > 0 ? `; it holds ${parsed.attachmentTitles.join(', ')}` : '';
		return {kind: 'none', reason: `The winmail.dat (Outlook TNEF) attachment holds no answer to an invitation (message class ${messageClass || 'none'}${inside}).`};
	}

	const id = globalObjectIdOf(attributes);
	if (!id) {
		return {kind: 'none', reason: `Outlook's answer (${messageClass}) in winmail.dat names no event (no PidLidGlobalObjectId).`};
	}

	if (id.instanceDate !== null) {
		return {kind: 'none', reason: `Outlook's answer in winmail.dat is for the single occurrence on ${id.instanceDate}, which TNEF names by date only; read the mail and record it by hand.`};
	}

	const attendee = attendeeOf(attributes);
	if (!attendee) {
		return {kind: 'none', reason: `Outlook's answer (${messageClass}) in winmail.dat gives no SMTP address for whoever answered.`};
	}

	return {kind: 'meeting-response', messageClass, uid: id.uid, partstat: answer.partstat, attendee, sentAt: timeOf(find(attributes, property.clientSubmitTime))};
}
