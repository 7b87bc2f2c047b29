// Compiles the relay to one plain-JavaScript file, dist/main.js, for the published package (`npm pack` runs this
// as prepack). Everything from relay/ and lib/ is bundled; the runtime dependencies (package.json `dependencies`)
// stay imports, installed by npm beside it. esbuild comes from the repository's own devDependencies: the package
// is built from a checkout, never on the user's machine.
import {build} from 'esbuild';
import {readFile} from 'node:fs/promises';

const here = new URL('.', import.meta.url);
const manifest = JSON.parse(await readFile(new URL('package.json', here), 'utf8'));

await build({
	entryPoints: [new URL('main.ts', here).pathname],
	outfile: new URL('dist/main.js', here).pathname,
	bundle: true,
	platform: 'node',
	format: 'esm',
	// The package's engines field says Node 20, as its dependencies do (imapflow, nodemailer, postal-mime).
	target: 'node20',
	// Bare imports (the dependencies and node: builtins) stay imports; relative ones are bundled.
	packages: 'external',
	banner: {js: '#!/usr/bin/env node'},
	legalComments: 'none',
	logLevel: 'warning',
	// A dependency missing from package.json would be an import that fails only on the user's machine.
	plugins: [{
		name: 'declared-dependencies-only',
		setup(pluginBuild) {
			const declared = new Set(Object.keys(manifest.dependencies ?? {}));
			pluginBuild.onResolve({filter: /^[^./]/}, arguments_ => {
				if (arguments_.path.startsWith('node:')) {
					return undefined;
				}

				const name = arguments_.path.startsWith('@') ? arguments_.path.split('/').slice(0, 2).join('/') : arguments_.path.split('/')[0];
				if (!declared.has(name)) {
					return {errors: [{text: `${arguments_.path} is imported by ${arguments_.importer} but is not in relay/package.json dependencies`}]};
				}

				return undefined;
			});
		},
	}],
});
