/**
 * CORS: only the extension (and origins the operator names) may read the relay's answers from a browser.
 * A web page gets no grant, so even a page that learned the token could not use the relay from the user's browser.
 */

// Chrome extension ids are 32 letters a-p; Firefox gives each install a random UUID.
const extensionOriginPattern = /^(?:chrome-extension:\/\/[a-p]{32}|moz-extension:\/\/[\da-f]{8}-[\da-f]{4}-[\da-f]{4}-[\da-f]{4}-[\da-f]{12})$/i;

/** True for `chrome-extension://<id>`, `moz-extension://<uuid>` and the configured origins (exact match). */
export function isAllowedOrigin(origin: string, allowedOrigins: readonly string[]): boolean {
	return extensionOriginPattern.test(origin) || allowedOrigins.includes(origin);
}

/** How long a browser may cache a preflight answer, in seconds. */
const preflightMaxAgeSeconds = 600;

/**
 * The CORS headers for a request from `origin`; empty (no grant) for an origin that is not allowed
 * or a request without an Origin header (curl, Node).
 * @param preflight true for an OPTIONS preflight, which also gets the allowed methods and headers
 */
export function corsHeaders(origin: string | undefined, allowedOrigins: readonly string[], preflight: boolean): Record<string, string> {
	const headers: Record<string, string> = {vary: 'Origin'};
	if (origin === undefined || !isAllowedOrigin(origin, allowedOrigins)) {
		return headers;
	}

	headers['access-control-allow-origin'] = origin;
	if (preflight) {
		headers['access-control-allow-methods'] = 'GET, POST, OPTIONS';
		headers['access-control-allow-headers'] = 'authorization, content-type';
		headers['access-control-max-age'] = String(preflightMaxAgeSeconds);
		// Chrome's Private Network Access asks before a page reaches localhost; answer only for granted origins.
		headers['access-control-allow-private-network'] = 'true';
	}

	return headers;
}
