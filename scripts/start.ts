/**
 * `npm start`: the main job. Runs the Purelymail sandbox and the companion relay until Ctrl-C, and says how to
 * load the freshly built extension and point it at the sandbox. `scripts/up.sh` installs everything and builds first.
 */
import path from 'node:path';
import {optionsFromEnvironment} from '../relay/config.ts';
import {startRelay} from '../relay/server.ts';
import {runSandboxUntilStopped} from '../tests/sandbox/cli.ts';
import {repoRoot} from '../tests/sandbox/paths.ts';

await runSandboxUntilStopped(async sandbox => {
	const relay = await startRelay(optionsFromEnvironment(process.env, process.argv.slice(2)));
	const organizer = sandbox.accounts[0]!;
	console.log([
		'',
		`Companion relay listening on ${relay.url}`,
		`  Token (paste into the extension's options): ${relay.token}`,
		'',
		'The extension is built:',
		`  Chrome/Chromium: chrome://extensions → Developer mode → Load unpacked → ${path.join(repoRoot, '.output/chrome-mv3')}`,
		`  Firefox:         about:debugging#/runtime/this-firefox → Load Temporary Add-on → ${path.join(repoRoot, '.output/firefox-mv2/manifest.json')}`,
		'To use it with this sandbox, in the extension\'s options:',
		`  address ${organizer.email}, app password ${organizer.password}; under Advanced: CalDAV ${sandbox.caldav.url},`,
		`  IMAP 127.0.0.1:${sandbox.imap.port} and SMTP 127.0.0.1:${sandbox.smtp.port} without TLS; relay ${relay.url} with the token above;`,
		`  and add ${sandbox.webmail?.url ?? ''} as a webmail.`,
		'',
	].join('\n'));
	return async () => relay.close();
});
