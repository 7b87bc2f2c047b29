import type {Sandbox} from './types.ts';

/** What a person needs to use the sandbox: URLs, ports and accounts. */
export function describeSandbox(sandbox: Sandbox): string {
	const lines = [
		'Purelymail sandbox is running (all on loopback):',
		`  Webmail (Roundcube)  ${sandbox.webmail?.url ?? '(not started)'}`,
		`  IMAP (plaintext)     ${sandbox.imap.host}:${sandbox.imap.port}`,
		`  SMTP (AUTH needed)   ${sandbox.smtp.host}:${sandbox.smtp.port}`,
		`  CalDAV (Radicale)    ${sandbox.caldav.url}`,
		`  State folder         ${sandbox.stateDir}`,
		'Accounts (log in with the full address):',
		...sandbox.accounts.map(account => `  ${account.email.padEnd(26)} password ${account.password}`),
		`Mail to any other address is kept in ${sandbox.catchAll.email} (password ${sandbox.catchAll.password}); addresses @rejected.test are refused.`,
	];
	return lines.join('\n');
}
