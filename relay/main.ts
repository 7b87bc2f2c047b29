/**
 * Entry point of the `purelymail-invites-relay` command (dist/main.js once built) and of `npm run relay`.
 * Wiring only: the commands are in cli.ts.
 */
import {runCli} from './cli.ts';

const code = await runCli(process.argv.slice(2), {
	env: process.env,
	out: line => {
		console.log(line);
	},
	err: line => {
		console.error(line);
	},
});
if (code !== undefined) {
	process.exitCode = code;
}
