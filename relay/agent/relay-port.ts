/**
 * The reply loop's RelayPort for the agent: the relay's own IMAP code (pollReplies on a pooled session), called
 * in-process instead of over HTTP or native messaging, and filing's moveMessages the same way. Same answers, same error codes.
 */
import {toRelayError} from '../errors.ts';
import type {ImapPool} from '../imap-pool.ts';
import type {ImapLogin} from '../imap.ts';
import {moveMessages} from '../move.ts';
import {pollReplies} from '../replies.ts';
import type {RelayPort} from '../../lib/reply-loop/index.ts';

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
