/**
 * The `purelymail-invites-relay` command line: picks the command from the first argument (serve when there is
 * none, or when it is a flag) and runs it. Each command lives in commands/.
 */
import {agent, agentUsage} from './commands/agent.ts';
import {native} from './commands/native.ts';
import {installNativeCommand, uninstallNativeCommand} from './commands/native-setup.ts';
import {serve} from './commands/serve.ts';
import {token} from './commands/token.ts';
import type {Command, CommandIo} from './commands/io.ts';
import {relayVersion} from './version.ts';

export const commandName = 'purelymail-invites-relay';

const commands: Record<string, Command> = {
	serve,
	'install-native': installNativeCommand,
	'uninstall-native': uninstallNativeCommand,
	native,
	token,
	agent,
};

export const helpText = `${commandName} ${relayVersion}: the Purelymail Invites extension's companion.

Usage: ${commandName} [command] [options]

Commands:
  serve [--insecure-public]   The HTTP relay (the default command). Settings come from RELAY_* variables:
                              RELAY_HOST, RELAY_PORT, RELAY_TOKEN, RELAY_CONFIG_DIR, RELAY_TLS_CERT, RELAY_TLS_KEY,
                              RELAY_ALLOWED_ORIGINS, RELAY_ALLOWED_HOSTS, RELAY_MAX_BODY_BYTES,
                              RELAY_MAX_RECIPIENTS, RELAY_REQUESTS_PER_MINUTE.
  install-native [--browser chrome|chromium|firefox|all] [--user-data-dir DIR]
                              Let the browser start the relay itself (native messaging): writes the host
                              manifest where the browser looks (or into the profile folder DIR). On Windows it
                              prints the registry commands to run. Default: all browsers.
  uninstall-native            Remove exactly what install-native wrote.
  native                      The native-messaging host; the browser runs this, not you.
  token [--rotate]            Print the HTTP relay's token (made on first use), or replace it.
  ${agentUsage}
                              The always-on agent: applies the answers to your invitations while no browser
                              runs. FILE is JSON (account, servers, calendarUrl, state) that only you can read;
                              --once runs one tick (exit 0, or 1 when it failed); --tick-seconds sets the
                              safety-net tick (default 300; IMAP IDLE on INBOX does the rest).
  --help, -h                  This text.
  --version, -v               The version.
`;

/**
 * Runs one command line.
 * @returns the exit code, or undefined when the command keeps running (serve)
 */
export async function runCli(argv: string[], io: CommandIo): Promise<number | undefined> {
	const [first, ...rest] = argv;
	if (first === '--help' || first === '-h' || first === 'help') {
		io.out(helpText);
		return 0;
	}

	if (first === '--version' || first === '-v') {
		io.out(relayVersion);
		return 0;
	}

	const named = first !== undefined && !first.startsWith('-');
	const command = named ? commands[first] : serve;
	if (!command || (named && !Object.hasOwn(commands, first))) {
		io.err(`${commandName}: unknown command ${first ?? ''}; see ${commandName} --help`);
		return 2;
	}

	try {
		return await command(named ? rest : argv, io);
	} catch (error) {
		io.err(`${commandName}: ${error instanceof Error ? error.message : String(error)}`);
		return 1;
	}
}
