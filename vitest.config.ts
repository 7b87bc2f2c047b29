import {defineConfig} from 'vitest/config';
import {WxtVitest} from 'wxt/testing/vitest-plugin';

/**
 * Three groups that run alone or together:
 * unit (no servers), integration (starts the sandbox servers it needs), e2e (real Chromium with the built extension).
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
				},
			},
		],
	},
});
