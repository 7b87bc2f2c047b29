/**
 * `purelymail-invites-relay serve` (the default command, and `npm run relay`): the HTTP relay. Reads RELAY_*
 * variables and the --insecure-public flag, starts the relay, prints where it listens and the token, and runs
 * until SIGINT or SIGTERM. Everything else lives in server.ts.
 */
import {optionsFromEnvironment} from '../config.ts';
import {startRelay} from '../server.ts';
import type {CommandIo} from './io.ts';

export async function serve(argv: string[], io: CommandIo): Promise<number | undefined> {
	const relay = await startRelay({...optionsFromEnvironment(io.env, argv), log: io.out});
	io.out(`Purelymail Invites relay listening on ${relay.url}`);
	io.out(`Token (paste into the extension's options): ${relay.token}`);
	io.out(relay.tokenFile ? `Token ${relay.tokenCreated ? 'created' : 'read'}: ${relay.tokenFile}` : 'Token from RELAY_TOKEN');
	const stop = (): void => {
		void relay.close().then(() => process.exit(0));
	};

	process.once('SIGINT', stop);
	process.once('SIGTERM', stop);
	// Still running: the caller must not set an exit code.
	return undefined;
}
