/**
 * `POST /v1/verify {account}`: logs in to IMAP and to SMTP, separately and at the same time, so the options
 * page can say which one is wrong (password, host, TLS) instead of "something failed".
 */
import {toRelayError} from '../errors.ts';
import {checkAccountTargets} from '../hosted.ts';
import {closeImap, openImap} from '../imap.ts';
import {verifySmtp} from '../smtp.ts';
import {parseVerifyRequest} from '../validate.ts';
import {imapLogin, smtpLogin, type RouteHandler} from './context.ts';
import type {LoginCheck, VerifyResponse} from '../../lib/relay-client/types.ts';

async function check(attempt: () => Promise<void>, server: 'IMAP' | 'SMTP'): Promise<LoginCheck> {
	try {
		await attempt();
		return {ok: true};
	} catch (error) {
		return {ok: false, error: toRelayError(error, server).toInfo()};
	}
}

export const verify: RouteHandler = async ({options}, body): Promise<VerifyResponse> => {
	const account = await checkAccountTargets(parseVerifyRequest(body).account, options);
	// A fresh IMAP login, not the pool: a warm session would prove the password was right minutes ago.
	const [imap, smtp] = await Promise.all([
		check(async () => closeImap(await openImap(imapLogin(account, options))), 'IMAP'),
		check(async () => verifySmtp(smtpLogin(account, options)), 'SMTP'),
	]);
	return {imap, smtp};
};
