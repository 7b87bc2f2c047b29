/**
 * The composer's time-zone list: the browser's IANA names, searchable by how people type them.
 */

/** The zone the browser runs in, e.g. `Europe/Berlin`; `UTC` when the browser does not say. */
export function browserTimeZone(): string {
	return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** Every IANA zone the browser knows (`Intl.supportedValuesOf`), or none in engines without it. */
export function supportedTimeZones(): string[] {
	// Not in every engine the unit tests might run under; all browsers the extension supports have it.
	return typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
}

/**
 * The names to offer: the supported ones, plus `UTC` (Chromium leaves it out) and the given extra names
 * (the browser's own zone may be an alias such as `Asia/Calcutta` that the list spells differently),
 * sorted, without duplicates.
 */
export function timeZoneChoices(supported: readonly string[], extra: readonly string[] = []): string[] {
	return [...new Set([...supported, 'UTC', ...extra].filter(name => name !== ''))].sort((a, b) => a.localeCompare(b, 'en'));
}

/** `America/New_York` → `america new york`, so that spaces, slashes and underscores match each other. */
function searchable(text: string): string {
	return text.toLowerCase().replaceAll(/[\s/_-]+/g, ' ').trim();
}

/**
 * The names that contain every word of the query, best first: a city that starts with the query, then a name
 * that starts with it, then the rest in list order. An empty query gives the whole list.
 */
export function searchTimeZones(names: readonly string[], query: string, limit = Number.POSITIVE_INFINITY): string[] {
	const words = searchable(query).split(' ').filter(Boolean);
	if (words.length === 0) {
		return names.slice(0, limit);
	}

	const phrase = words.join(' ');
	const scored: Array<{name: string; score: number; index: number}> = [];
	for (const [index, name] of names.entries()) {
		const text = searchable(name);
		if (!words.every(word => text.includes(word))) {
			continue;
		}

		const city = searchable(name.slice(name.lastIndexOf('/') + 1));
		const score = city.startsWith(phrase) ? 0 : text.startsWith(phrase) ? 1 : 2;
		scored.push({name, score, index});
	}

	return scored
		.sort((a, b) => a.score - b.score || a.index - b.index)
		.slice(0, limit)
		.map(item => item.name);
}

/** `GMT+2`, `GMT-5:30` or `GMT` for a zone at an instant; empty for names the browser does not know. */
export function offsetLabel(timeZone: string, at: Date): string {
	try {
		const parts = new Intl.DateTimeFormat('en-US', {timeZone, timeZoneName: 'shortOffset'}).formatToParts(at);
		return parts.find(part => part.type === 'timeZoneName')?.value ?? '';
	} catch {
		return '';
	}
}

/** `America/New_York` → `New York (America)`, for people rather than machines. */
export function timeZoneLabel(timeZone: string): string {
	const slash = timeZone.lastIndexOf('/');
	if (slash === -1) {
		return timeZone;
	}

	return `${timeZone.slice(slash + 1).replaceAll('_', ' ')} (${timeZone.slice(0, slash).replaceAll('_', ' ')})`;
}
