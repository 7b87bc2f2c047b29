/**
 * `npm run relay`: reads RELAY_* variables and the --insecure-public flag, starts the relay, prints where it
 * listens and the token to paste into the extension's options. Everything else lives in server.ts.
 */
import {optionsFromEnvironment} from './config.ts';
import {startRelay} from './server.ts';

try {
	const relay = await startRelay(optionsFromEnvironment(process.env, process.argv.slice(2)));
	console.log(`Purelymail Invites relay listening on ${relay.url}`);
	console.log(`Token (paste into the extension's options): ${relay.token}`);
	console.log(relay.tokenFile ? `Token ${relay.tokenCreated ? 'created' : 'read'}: ${relay.tokenFile}` : 'Token from RELAY_TOKEN');
	const stop = (): void => {
		void relay.close().then(() => process.exit(0));
	};

	process.once('SIGINT', stop);
	process.once('SIGTERM', stop);
} catch (error) {
	console.error(`relay: ${error instanceof Error ? error.message : String(error)}`);
	process.exitCode = 1;
}
