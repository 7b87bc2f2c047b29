/**
 * `npm start`: the main job. Runs the Purelymail sandbox (and the companion relay) until Ctrl-C, and says how to
 * load the freshly built extension. `scripts/up.sh` installs everything and builds first.
 */
import path from 'node:path';
import {runSandboxUntilStopped} from '../tests/sandbox/cli.ts';
import {repoRoot} from '../tests/sandbox/paths.ts';

await runSandboxUntilStopped(async () => {
	console.log([
		'',
		'The extension is built:',
		`  Chrome/Chromium: chrome://extensions → Developer mode → Load unpacked → ${path.join(repoRoot, '.output/chrome-mv3')}`,
		`  Firefox:         about:debugging#/runtime/this-firefox → Load Temporary Add-on → ${path.join(repoRoot, '.output/firefox-mv2/manifest.json')}`,
		'',
	].join('\n'));
	return async () => undefined;
});
