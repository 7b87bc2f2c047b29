/** The shape of a running sandbox: a local stand-in for a Purelymail mailbox, all on loopback. */

export type SandboxService = 'imap' | 'smtp' | 'caldav' | 'webmail';

export type SandboxAccount = {
	/** Short id, also the CalDAV account id in `/webdav/<id>/caldav/<name>/`. */
	id: string;
	email: string;
	name: string;
	password: string;
};

export type Sandbox = {
	/** Fresh temporary folder holding every server's config and data; removed by stop(). */
	stateDir: string;
	/** Dovecot IMAP, plaintext on loopback (LOGIN/PLAIN allowed). */
	imap: {host: string; port: number};
	/** SMTP submission that requires AUTH (no TLS on loopback); delivers to Dovecot over LMTP. */
	smtp: {host: string; port: number};
	/** Radicale; `url` is the root to discover from, like https://purelymail.com/webdav/. */
	caldav: {url: string};
	/** Roundcube 1.6 (Elastic) when 'webmail' was started. */
	webmail?: {url: string} | undefined;
	/** The demo accounts: organizer first, then attendees. */
	accounts: SandboxAccount[];
	/** The extra mailboxes asked for with `teamMailboxes` (none by default). */
	team: SandboxAccount[];
	/** Mail to addresses outside the sandbox lands in this account's INBOX. */
	catchAll: SandboxAccount;
	stop(): Promise<void>;
};

export type SandboxOptions = {
	/** Which servers to start; all by default. */
	services?: SandboxService[];
	/** Fixed ports (0 or missing: a free port). */
	ports?: {[Name in 'imap' | 'lmtp' | 'smtp' | 'caldav' | 'webmail']?: number | undefined};
	/** This many more mailboxes, `team01@sandbox.test` … (IMAP, SMTP and CalDAV like the demo ones). */
	teamMailboxes?: number;
	/** Print server output. */
	verbose?: boolean;
};
