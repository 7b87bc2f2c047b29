/**
 * Checks request bodies against the shared API types. Whatever fails is BAD_REQUEST naming the field;
 * nothing is silently defaulted except what the API documents (Purelymail's servers, the default folders).
 */
import {isEmailAddress} from '../lib/address.ts';
import {RelayError} from './errors.ts';
import type {AnswersTo, MailEndpoint, MoveRequest, RelayAccount, RepliesCursor, RepliesRequest, SendRequest, VerifyRequest} from '../lib/relay-client/types.ts';

type Json = Record<string, unknown>;

function bad(message: string): RelayError {
	return new RelayError('BAD_REQUEST', message);
}

function isObject(value: unknown): value is Json {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function object(value: unknown, name: string): Json {
	if (!isObject(value)) {
		throw bad(`${name} must be an object`);
	}

	return value;
}

function string(value: unknown, name: string, {maxLength = 1000} = {}): string {
	if (typeof value !== 'string' || value === '') {
		throw bad(`${name} must be a non-empty string`);
	}

	if (value.length > maxLength) {
		throw bad(`${name} is longer than ${maxLength} characters`);
	}

	return value;
}

function stringArray(value: unknown, name: string): string[] {
	if (!Array.isArray(value)) {
		throw bad(`${name} must be an array of strings`);
	}

	return value.map((item, index) => string(item, `${name}[${index}]`));
}

function address(value: unknown, name: string): string {
	const text = string(value, name, {maxLength: 320});
	// The one address rule (lib/address.ts); exactly the address, no spaces or line breaks around it (they could inject SMTP commands).
	if (text !== text.trim() || !isEmailAddress(text)) {
		throw bad(`${name} must be a bare address like name@example.com, got ${JSON.stringify(text)}`);
	}

	return text;
}

function endpoint(value: unknown, name: string): MailEndpoint | undefined {
	if (value === undefined) {
		return undefined;
	}

	const {host, port, secure} = object(value, name);
	if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65_535) {
		throw bad(`${name}.port must be a port number`);
	}

	if (typeof secure !== 'boolean') {
		throw bad(`${name}.secure must be true (TLS from the start) or false (STARTTLS)`);
	}

	return {host: string(host, `${name}.host`, {maxLength: 253}), port, secure};
}

export function parseAccount(value: unknown): RelayAccount {
	const account = object(value, 'account');
	const parsed: RelayAccount = {
		user: string(account.user, 'account.user', {maxLength: 320}),
		password: string(account.password, 'account.password'),
	};
	const imap = endpoint(account.imap, 'account.imap');
	const smtp = endpoint(account.smtp, 'account.smtp');
	if (imap) {
		parsed.imap = imap;
	}

	if (smtp) {
		parsed.smtp = smtp;
	}

	if (account.allowedSenders !== undefined) {
		parsed.allowedSenders = stringArray(account.allowedSenders, 'account.allowedSenders');
	}

	return parsed;
}

export function parseVerifyRequest(body: unknown): VerifyRequest {
	return {account: parseAccount(object(body, 'body').account)};
}

export function parseSendRequest(body: unknown): SendRequest {
	const request = object(body, 'body');
	const envelope = object(request.envelope, 'envelope');
	const to = stringArray(envelope.to, 'envelope.to').map((item, index) => address(item, `envelope.to[${index}]`));
	if (to.length === 0) {
		throw bad('envelope.to must name at least one recipient');
	}

	if (typeof request.raw !== 'string' || request.raw === '') {
		throw bad('raw must be the whole message as a string');
	}

	if (request.copyToSent !== undefined && typeof request.copyToSent !== 'boolean') {
		throw bad('copyToSent must be a boolean');
	}

	return {
		account: parseAccount(request.account),
		envelope: {from: address(envelope.from, 'envelope.from'), to},
		raw: request.raw,
		copyToSent: request.copyToSent === true,
	};
}

function cursor(value: unknown): RepliesCursor | undefined {
	if (value === undefined || value === null) {
		return undefined;
	}

	const folders = object(object(value, 'cursor').folders, 'cursor.folders');
	const entries: Array<[string, {uidValidity: string; highestUid: number}]> = [];
	for (const [folder, entry] of Object.entries(folders)) {
		const {uidValidity, highestUid} = object(entry, `cursor.folders[${JSON.stringify(folder)}]`);
		if (typeof uidValidity !== 'string' || !/^\d{1,20}$/.test(uidValidity)) {
			throw bad(`cursor.folders[${JSON.stringify(folder)}].uidValidity must be a decimal string`);
		}

		if (typeof highestUid !== 'number' || !Number.isInteger(highestUid) || highestUid < 0) {
			throw bad(`cursor.folders[${JSON.stringify(folder)}].highestUid must be a non-negative integer`);
		}

		entries.push([folder, {uidValidity, highestUid}]);
	}

	// FromEntries defines own properties, so a folder called "__proto__" stays data.
	return {folders: Object.fromEntries(entries)};
}

/** Most invitations one poll may ask about, and the longest Message-ID or subject (RFC 5322 §2.1.1's line limit). */
const maxAnswersTo = 2000;
const maxHeaderValue = 998;

function answersTo(value: unknown): AnswersTo {
	const {messageIds, subjects} = object(value, 'answersTo');
	const ids = stringArray(messageIds, 'answersTo.messageIds');
	const titles = subjects === undefined ? [] : stringArray(subjects, 'answersTo.subjects');
	if (ids.length > maxAnswersTo || titles.length > maxAnswersTo) {
		throw bad(`answersTo may name at most ${maxAnswersTo} Message-IDs and ${maxAnswersTo} subjects`);
	}

	if ([...ids, ...titles].some(item => item.length > maxHeaderValue || /[\r\n]/.test(item))) {
		throw bad(`answersTo values must be single lines of at most ${maxHeaderValue} characters`);
	}

	return subjects === undefined ? {messageIds: ids} : {messageIds: ids, subjects: titles};
}

/** Most folders one poll may name; a poll is meant to be cheap. */
const maxFolders = 20;

export function parseRepliesRequest(body: unknown): RepliesRequest {
	const request = object(body, 'body');
	const parsed: RepliesRequest = {account: parseAccount(request.account)};
	if (request.folders !== undefined) {
		const folders = stringArray(request.folders, 'folders');
		if (folders.length === 0 || folders.length > maxFolders) {
			throw bad(`folders must name 1 to ${maxFolders} folders`);
		}

		parsed.folders = folders;
	}

	if (request.answersTo !== undefined) {
		parsed.answersTo = answersTo(request.answersTo);
	}

	const parsedCursor = cursor(request.cursor);
	if (parsedCursor) {
		parsed.cursor = parsedCursor;
	}

	return parsed;
}

/** Most UIDs one move may name: a tick files what it processed, a few at a time. */
const maxMoveUids = 1000;

export function parseMoveRequest(body: unknown): MoveRequest {
	const request = object(body, 'body');
	const folder = string(request.folder, 'folder');
	const to = string(request.to, 'to');
	if (folder === to) {
		throw bad('to must be another folder than folder');
	}

	if (typeof request.uidValidity !== 'string' || !/^\d{1,20}$/.test(request.uidValidity)) {
		throw bad('uidValidity must be a decimal string');
	}

	if (!Array.isArray(request.uids) || request.uids.length === 0 || request.uids.length > maxMoveUids) {
		throw bad(`uids must list 1 to ${maxMoveUids} UIDs`);
	}

	const uids = request.uids.map((uid: unknown, index) => {
		if (typeof uid !== 'number' || !Number.isInteger(uid) || uid < 1 || uid > 4_294_967_295) {
			throw bad(`uids[${index}] must be a UID (a positive 32-bit integer)`);
		}

		return uid;
	});
	return {account: parseAccount(request.account), folder, uidValidity: request.uidValidity, uids, to};
}
