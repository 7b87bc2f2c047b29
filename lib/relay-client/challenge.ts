/**
 * The relay proves it holds the token before the client sends it (issue 12, item 9): the client sends a fresh
 * nonce with no credential, the relay answers HMAC-SHA256(token, label + nonce), and the client checks it.
 * A program that merely listens on the relay's address (another local process that took the port, a remote host
 * the address points to by mistake) cannot answer, so it gets neither the token nor a mailbox password.
 * WebCrypto, so the relay (Node 20) and the extension compute the proof with this one function.
 */

/** Domain separation: the token's HMAC over a nonce means nothing else anywhere. */
const proofLabel = 'purelymail-invites-relay challenge v1\n';

/** A nonce is 16 to 128 base64url characters; the client sends 32 random bytes (43 characters). */
export const noncePattern = /^[\w-]{16,128}$/;

function base64url(bytes: Uint8Array): string {
	let binary = '';
	for (const byte of bytes) {
		binary += String.fromCodePoint(byte);
	}

	return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

/** 32 random bytes, base64url. */
export function newNonce(): string {
	return base64url(crypto.getRandomValues(new Uint8Array(32)));
}

/** The relay's answer to a nonce: base64url(HMAC-SHA256(token, label + nonce)). */
export async function relayProof(token: string, nonce: string): Promise<string> {
	const encoder = new TextEncoder();
	const key = await crypto.subtle.importKey('raw', encoder.encode(token), {name: 'HMAC', hash: 'SHA-256'}, false, ['sign']);
	return base64url(new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(proofLabel + nonce))));
}

/** True when `proof` is the token's answer to `nonce`. */
export async function proofMatches(token: string, nonce: string, proof: unknown): Promise<boolean> {
	return typeof proof === 'string' && proof === await relayProof(token, nonce);
}
