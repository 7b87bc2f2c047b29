/**
 * `POST /v1/challenge {nonce}` (no token): the relay proves it holds the token before a client sends it
 * (lib/relay-client/challenge.ts has the rule and the reason). HTTP only: the native relay has no token, and the
 * browser itself starts the program the user installed.
 */
import {RelayError} from '../errors.ts';
import {noncePattern, relayProof} from '../../lib/relay-client/challenge.ts';
import type {ChallengeResponse} from '../../lib/relay-client/types.ts';

export async function answerChallenge(token: string, body: unknown): Promise<ChallengeResponse> {
	const nonce = typeof body === 'object' && body !== null ? (body as {nonce?: unknown}).nonce : undefined;
	if (typeof nonce !== 'string' || !noncePattern.test(nonce)) {
		throw new RelayError('BAD_REQUEST', 'nonce must be 16 to 128 base64url characters');
	}

	return {proof: await relayProof(token, nonce)};
}
