/**
 * `purelymail-invites-relay token [--rotate]`: prints the HTTP relay's token (creating it on first use), or
 * replaces it. Only `serve` uses a token: with native messaging the browser itself starts the relay.
 */
import {parseArgs} from 'node:util';
import {defaultConfigDir, loadOrCreateToken, rotateToken} from '../auth.ts';
import type {CommandIo} from './io.ts';

export async function token(argv: string[], io: CommandIo): Promise<number> {
	const {values} = parseArgs({args: argv, options: {rotate: {type: 'boolean', default: false}}, strict: true});
	const configDir = defaultConfigDir(io.env);
	const stored = values.rotate ? await rotateToken(configDir) : await loadOrCreateToken(configDir);
	io.out(stored.token);
	io.err(values.rotate
		? `New token written to ${stored.file}. Restart a running relay and paste the new token into the extension's options.`
		: `Token ${stored.created ? 'created' : 'read'}: ${stored.file}`);
	if (io.env.RELAY_TOKEN) {
		io.err('Note: RELAY_TOKEN is set, so `serve` uses that instead of this file.');
	}

	return 0;
}
