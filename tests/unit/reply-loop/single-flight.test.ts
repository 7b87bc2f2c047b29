import {describe, expect, test} from 'vitest';
import {singleFlight} from '../../../lib/reply-loop/single-flight.ts';

/** A run that ends when the test says so; each run returns its number. */
function controlledRuns(): {run: () => Promise<number>; started: number; finish(): void} {
	const pending: Array<() => void> = [];
	const state = {
		started: 0,
		async run() {
			const number = ++state.started;
			await new Promise<void>(resolve => pending.push(resolve));
			return number;
		},
		finish() {
			pending.shift()?.();
		},
	};
	return state;
}

describe('singleFlight', () => {
	test('a call during a run gets that run\'s result', async () => {
		const runs = controlledRuns();
		const check = singleFlight(runs.run);
		const first = check();
		const second = check();
		runs.finish();
		await expect(Promise.all([first, second])).resolves.toEqual([1, 1]);
		expect(runs.started).toBe(1);
	});

	test('fresh() during a run waits for it, then starts one more, shared by every fresh() meanwhile', async () => {
		const runs = controlledRuns();
		const check = singleFlight(runs.run);
		const running = check();
		const fresh = [check.fresh(), check.fresh()];
		expect(runs.started).toBe(1);
		runs.finish();
		await expect(running).resolves.toBe(1);
		await expect.poll(() => runs.started).toBe(2);
		runs.finish();
		await expect(Promise.all(fresh)).resolves.toEqual([2, 2]);
	});

	test('fresh() with nothing running starts a run at once; a failed run does not stop the next', async () => {
		let calls = 0;
		const check = singleFlight(async () => {
			calls++;
			if (calls === 1) {
				throw new Error('relay down');
			}

			return calls;
		});
		const failing = check();
		const fresh = check.fresh();
		await expect(failing).rejects.toThrow('relay down');
		await expect(fresh).resolves.toBe(2);
		await expect(check.fresh()).resolves.toBe(3);
	});
});
