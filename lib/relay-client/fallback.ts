/**
 * A client that uses the relay the browser starts, and the HTTP relay when the browser could not start it (not
 * installed, not allowed). Only then: a native relay that went away mid-call may have sent the mail already,
 * and a second try elsewhere would send it twice.
 */
import {RelayClientError, type RelayClient} from './index.ts';

export function withFallback(primary: RelayClient, fallback: RelayClient | undefined): RelayClient {
	if (!fallback) {
		return primary;
	}

	async function either<T>(run: (client: RelayClient) => Promise<T>): Promise<T> {
		try {
			return await run(primary);
		} catch (error) {
			if (error instanceof RelayClientError && error.code === 'RELAY_NOT_STARTED') {
				return run(fallback!);
			}

			throw error;
		}
	}

	return {
		health: async call => either(async client => client.health(call)),
		verify: async (account, call) => either(async client => client.verify(account, call)),
		send: async (request, call) => either(async client => client.send(request, call)),
		replies: async (request, call) => either(async client => client.replies(request, call)),
		move: async (request, call) => either(async client => client.move(request, call)),
	};
}
