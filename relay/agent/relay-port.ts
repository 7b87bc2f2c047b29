/**
 * The reply loop's RelayPort for the agent: the relay's own IMAP code (pollReplies on a pooled session), called
 * in-process instead of over HTTP or native messaging, and filing's moveMessages the same way. Same answers, same error codes.
 * Calendar-app scheduling's `send` is the relay's own `/v1/send` handler, in-process too.
 */
import {resolveOptions} from '../config.ts';
import {RelayError, toRelayError} from '../errors.ts';
import {routeHandlers} from '../routes/index.ts';
import type {ImapPool} from '../imap-pool.ts';
import type {ImapLogin} from '../imap.ts';
import {moveMessages} from '../move.ts';
import {pollReplies} from '../replies.ts';
import type {RelayPort} from '../../lib/reply-loop/index.ts';
import {RelayClientError, type RelayClient} from '../../lib/relay-client/index.ts';
import type {SendRequest, SendResponse} from '../../lib/relay-client/types.ts';

export function agentRelayPort(pool: ImapPool, login: Omit<ImapLogin, 'connectTimeoutMs'>): RelayPort {
	return {
		async replies(request) {
			try {
				return await pool.use(login, async session => pollReplies(session, request));
			} catch (error) {
				throw toRelayError(error, 'IMAP');
			}
		},
		async move({account: _account, ...request}) {
			try {
				return await pool.use(login, async session => moveMessages(session, request));
			} catch (error) {
				throw toRelayError(error, 'IMAP');
			}
		},
	};
}

/**
 * `send` as the extension's relay client has it, on the relay's own handler (same checks, SMTP submission, copy to
 * Sent on the pooled IMAP session); its RelayError becomes the RelayClientError a relay client would throw, so
 * lib/scheduling tells a final refusal from a failure to retry exactly as in the extension.
 */
export function agentSendPort(pool: ImapPool): Pick<RelayClient, 'send'> {
	const context = {options: resolveOptions({log: () => undefined}), pool};
	return {
		async send(request: SendRequest): Promise<SendResponse> {
			try {
				return await routeHandlers.send(context, request) as SendResponse;
			} catch (error) {
				const relayError = error instanceof RelayError ? error : toRelayError(error, 'SMTP');
				throw new RelayClientError(relayError.code, relayError.message, relayError.status, {cause: error});
			}
		},
	};
}
