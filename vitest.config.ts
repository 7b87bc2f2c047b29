import {defineConfig} from 'vitest/config';
import {WxtVitest} from 'wxt/testing/vitest-plugin';

/**
 * Four groups that run alone or together: unit (no servers), integration (starts the sandbox servers it needs),
 * e2e (Debian's Chromium with the built extension) and e2e-firefox (Debian's Firefox ESR with the built extension).
 * The files under tests/e2e/any-engine/ are written once and run in both browsers: the project provides the engine.
 */
export default defineConfig({
	test: {
		projects: [
			{
				plugins: [WxtVitest()],
				test: {
					name: 'unit',
					include: ['tests/unit/**/*.test.{ts,tsx}', 'lib/**/*.test.ts', 'relay/**/*.test.ts'],
					// A guard against a hang, not a speed check (benchmarks measure speed): some unit tests run the CLI
					// or Python's parsers as child processes, and `npm test` runs them beside the integration and e2e
					// groups' servers and browsers on two cores, where vitest's 5 s default failed sound tests.
					testTimeout: 60_000,
				},
			},
			{
				plugins: [WxtVitest()],
				test: {
					name: 'integration',
					include: ['tests/integration/**/*.test.ts'],
					testTimeout: 120_000,
					hookTimeout: 300_000,
					fileParallelism: false,
				},
			},
			{
				plugins: [WxtVitest()],
				test: {
					name: 'e2e',
					include: ['tests/e2e/**/*.test.ts'],
					testTimeout: 180_000,
					hookTimeout: 300_000,
					fileParallelism: false,
					provide: {e2eEngine: 'chromium'},
				},
			},
			{
				plugins: [WxtVitest()],
				test: {
					name: 'e2e-firefox',
					include: ['tests/e2e/any-engine/**/*.test.ts'],
					testTimeout: 180_000,
					hookTimeout: 300_000,
					fileParallelism: false,
					provide: {e2eEngine: 'firefox'},
					// A group of its own, run before or after the others but not beside them: two browsers and two
					// sandboxes at once on a two-core machine only make each slower.
					sequence: {groupOrder: 1},
				},
			},
		],
	},
});
