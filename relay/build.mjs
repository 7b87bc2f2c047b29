// Compiles the relay to one plain-JavaScript file, dist/main.js, for the published package (`npm pack` runs this
// as prepack). Everything from relay/ and lib/ is bundled, and so are the libraries lib/ itself uses (ical.js,
// tsdav …, taken from the repository's node_modules): they are the extension's, not the relay's, so an installed
// relay lists none of them (issue 16). The relay's own runtime dependencies (package.json `dependencies`: the
// mail libraries, and the native or server-side ones the agent needs) stay imports, installed by npm beside it.
// esbuild comes from the repository's own devDependencies: the package is built from a checkout, never on the
// user's machine.
import {build} from 'esbuild';
import {readFile} from 'node:fs/promises';

const here = new URL('.', import.meta.url);
const manifest = JSON.parse(await readFile(new URL('package.json', here), 'utf8'));

/** The extension's libraries that lib/ imports and the agent runs: bundled, with what they import in turn. */
const bundledFromLib = new Set(['ical.js', 'tsdav', 'mimetext', 'confusables', 'timezones-ical-library', 'windows-iana']);

await build({
	entryPoints: [new URL('main.ts', here).pathname],
	outfile: new URL('dist/main.js', here).pathname,
	bundle: true,
	platform: 'node',
	format: 'esm',
	// The package's engines field says Node 20, as its dependencies do (imapflow, nodemailer, postal-mime).
	target: 'node20',
	// Bundled CommonJS code (tsdav's debug, cross-fetch …) calls require() for Node's builtins, which an ES module
	// lacks: give the bundle one, as esbuild's documentation suggests for ESM output on Node.
	banner: {js: "#!/usr/bin/env node\nimport {createRequire as __pmiCreateRequire} from 'node:module';\nconst require = __pmiCreateRequire(import.meta.url);"},
	legalComments: 'none',
	logLevel: 'warning',
	// Bare imports: the relay's declared dependencies and node: builtins stay imports; lib/'s libraries (and what
	// they import) are bundled; anything else is an error, since it would be an import that fails only on the
	// user's machine.
	plugins: [{
		name: 'declared-or-bundled',
		setup(pluginBuild) {
			const declared = new Set(Object.keys(manifest.dependencies ?? {}));
			pluginBuild.onResolve({filter: /^[^./]/}, arguments_ => {
				if (arguments_.path.startsWith('node:')) {
					return {path: arguments_.path, external: true};
				}

				const name = arguments_.path.startsWith('@') ? arguments_.path.split('/').slice(0, 2).join('/') : arguments_.path.split('/')[0];
				if (declared.has(name)) {
					return {path: arguments_.path, external: true};
				}

				if (bundledFromLib.has(name) || arguments_.importer.includes('/node_modules/')) {
					return undefined;
				}

				return {errors: [{text: `${arguments_.path} is imported by ${arguments_.importer} but is neither in relay/package.json dependencies nor bundled from lib/`}]};
			});
		},
	}],
});
