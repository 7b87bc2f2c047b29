/** What every route handler gets: the resolved options and the IMAP pool. */
import type {ResolvedRelayOptions} from '../config.ts';
import type {CheckedAccount} from '../hosted.ts';
import type {ImapPool} from '../imap-pool.ts';
import type {ImapLogin} from '../imap.ts';
import type {SmtpLogin} from '../smtp.ts';

export type RouteContext = {
	options: ResolvedRelayOptions;
	pool: ImapPool;
};

/** A route: takes the parsed JSON body (undefined for GET), returns the JSON answer or throws RelayError. */
export type RouteHandler = (context: RouteContext, body: unknown) => Promise<unknown>;

/** The account's IMAP login, to its checked target (relay/hosted.ts checkAccountTargets). */
export function imapLogin(account: CheckedAccount, options: ResolvedRelayOptions): ImapLogin {
	return {endpoint: account.imap, user: account.user, password: account.password, connectTimeoutMs: options.connectTimeoutMs};
}

/** The account's SMTP login, to its checked target (relay/hosted.ts checkAccountTargets). */
export function smtpLogin(account: CheckedAccount, options: ResolvedRelayOptions): SmtpLogin {
	return {endpoint: account.smtp, user: account.user, password: account.password, connectTimeoutMs: options.connectTimeoutMs};
}
