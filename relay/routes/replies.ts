/**
 * `POST /v1/replies {account, folders?, cursor?}`: calendar-bearing mail since the cursor, on the account's
 * pooled IMAP session, one page of it (`more` says the cursor continues). The work itself is in ../replies.ts.
 */
import {toRelayError} from '../errors.ts';
import {checkAccountTargets} from '../hosted.ts';
import {pollReplies} from '../replies.ts';
import {parseRepliesRequest} from '../validate.ts';
import {imapLogin, type RouteHandler} from './context.ts';
import type {RepliesResponse} from '../../lib/relay-client/types.ts';

export const replies: RouteHandler = async ({options, pool}, body): Promise<RepliesResponse> => {
	const request = parseRepliesRequest(body);
	const account = await checkAccountTargets(request.account, options);
	try {
		return await pool.use(imapLogin(account, options), async session => pollReplies(session, request, new Date(), {
			messages: options.limits.repliesPerPage, bytes: options.limits.repliesPageBytes, scanned: options.limits.scannedPerPage,
		}));
	} catch (error) {
		throw toRelayError(error, 'IMAP');
	}
};
