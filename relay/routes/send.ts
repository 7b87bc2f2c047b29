/**
 * `POST /v1/send {account, envelope, raw, copyToSent?}`: submits a finished message over SMTP as the account,
 * then (when asked) appends the very same bytes, \Seen, to its Sent folder.
 * The envelope sender must be the account or one of its allowed senders: this is no open relay.
 */
import {addressParser} from 'postal-mime';
import type {ResolvedRelayOptions} from '../config.ts';
import {RelayError, toRelayError} from '../errors.ts';
import {allowedSenders, checkAccountTargets, type CheckedAccount} from '../hosted.ts';
import {folderWithRole} from '../folders.ts';
import {sendRaw} from '../smtp.ts';
import {parseSendRequest} from '../validate.ts';
import {imapLogin, smtpLogin, type RouteContext, type RouteHandler} from './context.ts';
import type {RelayAccount, SendResponse, SentCopy} from '../../lib/relay-client/types.ts';

/** The values of one header in a raw message's header block, unfolded, in order. */
export function headerValues(raw: string, name: string): string[] {
	const headerEnd = raw.search(/\r?\n\r?\n/);
	const headers = (headerEnd === -1 ? raw : raw.slice(0, headerEnd)).replaceAll(/\r?\n[ \t]+/g, ' ');
	const pattern = new RegExp(`^${name}:[ \\t]*(\\S[^\\r\\n]*?)[ \\t]*$`, 'gim');
	return [...headers.matchAll(pattern)].map(match => match[1] ?? '');
}

/** The Message-ID header of a raw message (header block only, unfolded), or null. */
export function messageIdOf(raw: string): string | null {
	return headerValues(raw, 'message-id')[0] ?? null;
}

/** Every address in the message's From headers (groups opened), parsed by postal-mime. */
export function fromAddresses(raw: string): string[] {
	return headerValues(raw, 'from').flatMap(value => addressParser(value))
		.flatMap(entry => 'group' in entry && Array.isArray(entry.group) ? entry.group : [entry])
		.map(entry => entry.address ?? '');
}

/** SMTP and IMAP both want CRLF; normalizing once means Sent holds exactly the bytes that were sent. */
export function toCrlf(raw: string): Buffer {
	return Buffer.from(raw.replaceAll(/\r?\n/g, '\r\n'), 'utf8');
}

/**
 * True when `from` is the account's own address or one of its aliases, ignoring case: the ones the request lists on
 * loopback, only the relay's configured ones in hosted mode (../hosted.ts).
 */
export function mayUseSender(account: RelayAccount, from: string, options: Pick<ResolvedRelayOptions, 'hosted' | 'sendAliases'>): boolean {
	return allowedSenders(account, options).includes(from.toLowerCase());
}

async function copyToSent(context: RouteContext, account: CheckedAccount, bytes: Buffer): Promise<SentCopy> {
	try {
		return await context.pool.use(imapLogin(account, context.options), async session => {
			const folder = folderWithRole(await session.folders(), '\\Sent');
			if (folder === undefined) {
				return {ok: false, error: {code: 'UPSTREAM', message: 'The account has no Sent folder (no SPECIAL-USE \\Sent, no usual name)'}};
			}

			await session.client.append(folder, bytes, ['\\Seen']);
			return {ok: true, folder};
		});
	} catch (error) {
		// The message is already sent; a failed copy is reported, not thrown, so nobody sends it twice.
		return {ok: false, error: toRelayError(error, 'IMAP').toInfo()};
	}
}

export const send: RouteHandler = async (context, body): Promise<SendResponse> => {
	const request = parseSendRequest(body);
	const {account, envelope} = request;
	const {maxRecipients} = context.options.limits;
	if (envelope.to.length > maxRecipients) {
		throw new RelayError('TOO_LARGE', `At most ${maxRecipients} recipients per message, got ${envelope.to.length}`);
	}

	if (!mayUseSender(account, envelope.from, context.options)) {
		throw new RelayError('BAD_REQUEST', `envelope.from ${envelope.from} is not ${account.user} or one of its allowedSenders`);
	}

	// Hosted mode: the From people see is checked too, not only the envelope (a single From header, every address allowed).
	if (context.options.hosted) {
		const from = fromAddresses(request.raw);
		const wrong = from.find(address => !mayUseSender(account, address, context.options));
		if (headerValues(request.raw, 'from').length !== 1 || from.length === 0 || wrong !== undefined) {
			throw new RelayError('BAD_REQUEST', `The From header must be ${account.user} or an alias this relay allows it${wrong ? `, not ${wrong}` : ''}`, {status: 403});
		}
	}

	const target = await checkAccountTargets(account, context.options);

	const bytes = toCrlf(request.raw);
	const result = await sendRaw(smtpLogin(target, context.options), envelope, bytes);
	const response: SendResponse = {messageId: messageIdOf(request.raw), accepted: result.accepted, rejected: result.rejected};
	if (request.copyToSent) {
		response.sentCopy = result.accepted.length > 0
			? await copyToSent(context, target, bytes)
			: {ok: false, error: {code: 'UPSTREAM', message: 'Not copied to Sent: every recipient was refused'}};
	}

	return response;
};
