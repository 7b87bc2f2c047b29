/** What every route handler gets: the resolved options and the IMAP pool. */
import type {ResolvedRelayOptions} from '../config.ts';
import type {ImapPool} from '../imap-pool.ts';
import type {ImapLogin} from '../imap.ts';
import type {SmtpLogin} from '../smtp.ts';
import type {RelayAccount} from '../../lib/relay-client/types.ts';

export type RouteContext = {
	options: ResolvedRelayOptions;
	pool: ImapPool;
};

/** A route: takes the parsed JSON body (undefined for GET), returns the JSON answer or throws RelayError. */
export type RouteHandler = (context: RouteContext, body: unknown) => Promise<unknown>;

/** The account's IMAP login, Purelymail's server when it names none. */
export function imapLogin(account: RelayAccount, options: ResolvedRelayOptions): ImapLogin {
	return {endpoint: account.imap ?? options.defaultImap, user: account.user, password: account.password, connectTimeoutMs: options.connectTimeoutMs};
}

/** The account's SMTP login, Purelymail's server when it names none. */
export function smtpLogin(account: RelayAccount, options: ResolvedRelayOptions): SmtpLogin {
	return {endpoint: account.smtp ?? options.defaultSmtp, user: account.user, password: account.password, connectTimeoutMs: options.connectTimeoutMs};
}
