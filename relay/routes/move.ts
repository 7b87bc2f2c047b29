/**
 * `POST /v1/move {account, folder, uidValidity, uids, to}`: files processed messages into another folder, on the
 * account's pooled IMAP session. The work itself is in ../move.ts.
 */
import {toRelayError} from '../errors.ts';
import {checkAccountTargets} from '../hosted.ts';
import {moveMessages} from '../move.ts';
import {parseMoveRequest} from '../validate.ts';
import {imapLogin, type RouteHandler} from './context.ts';
import type {MoveResponse} from '../../lib/relay-client/types.ts';

export const move: RouteHandler = async ({options, pool}, body): Promise<MoveResponse> => {
	const {account: named, ...request} = parseMoveRequest(body);
	const account = await checkAccountTargets(named, options);
	try {
		return await pool.use(imapLogin(account, options), async session => moveMessages(session, request));
	} catch (error) {
		throw toRelayError(error, 'IMAP');
	}
};
