import {describe, expect, test} from 'vitest';
import {PortTakenError, startOnFreePorts} from '../../sandbox/ports.ts';

describe('startOnFreePorts', () => {
	test('starts again on new ports while the server finds its port taken', async () => {
		const tried: number[][] = [];
		const result = await startOnFreePorts([undefined, undefined], async ports => {
			tried.push(ports);
			if (tried.length < 3) {
				throw new PortTakenError(ports[0]!, 'test server');
			}

			return 'started';
		});
		expect(result).toBe('started');
		expect(tried).toHaveLength(3);
		for (const ports of tried) {
			expect(ports.every(port => Number.isInteger(port) && port > 0)).toBe(true);
		}
	});

	test('a fixed port is used as given and never retried', async () => {
		let calls = 0;
		await expect(startOnFreePorts([4321], async ([port]) => {
			calls++;
			throw new PortTakenError(port!, 'test server');
		})).rejects.toThrow('test server: port 4321 is taken by another process');
		expect(calls).toBe(1);
	});

	test('gives up after five tries, and other errors are not retried', async () => {
		let calls = 0;
		await expect(startOnFreePorts([undefined], async ([port]) => {
			calls++;
			throw new PortTakenError(port!, 'test server');
		})).rejects.toBeInstanceOf(PortTakenError);
		expect(calls).toBe(5);
		calls = 0;
		await expect(startOnFreePorts([undefined], async () => {
			calls++;
			throw new Error('bad config');
		})).rejects.toThrow('bad config');
		expect(calls).toBe(1);
	});
});
