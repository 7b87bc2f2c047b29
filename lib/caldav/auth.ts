/**
 * HTTP Basic credentials (RFC 7617), built by hand.
 *
 * tsdav's own builder (`getBasicAuthHeaders`) base64-encodes one byte per UTF-16 code unit, like `btoa`: it throws
 * on any character outside Latin-1 (a password like 'pässwörd✓' cannot log in at all) and sends Latin-1 bytes for
 * 'ä', which a server decoding UTF-8 reads as a different password. We encode as UTF-8 first, then base64, which
 * is what RFC 7617 §2.1's charset="UTF-8" asks for.
 */

/**
 * The value of an Authorization header for `username` and `password`: `Basic ` + base64(UTF-8("user:password")).
 * @throws {TypeError} when the username is empty or contains a colon (RFC 7617 §2: the user-id cannot hold one)
 * @example
 * basicAuthorization('organizer@sandbox.test', 'pässwörd✓'); // 'Basic b3JnYW5pemVy…'
 */
export function basicAuthorization(username: string, password: string): string {
	if (typeof username !== 'string' || username === '' || username.includes(':')) {
		throw new TypeError('username must be non-empty text without a colon');
	}

	if (typeof password !== 'string') {
		throw new TypeError('password must be text');
	}

	const bytes = new TextEncoder().encode(`${username}:${password}`);
	// `btoa` takes a "binary string" (one char per byte, all below 256), so it cannot throw here.
	let binary = '';
	for (const byte of bytes) {
		binary += String.fromCharCode(byte);
	}

	return `Basic ${btoa(binary)}`;
}
