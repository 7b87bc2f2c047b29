/**
 * Lookalike addresses: a domain that mixes scripts (Latin `pаypal.com` with a Cyrillic `а`) or that differs from a
 * known attendee's only by characters that look alike. Such an address is shown in punycode, as mail servers see it,
 * with a warning, so a person deciding on a review sees what they are being asked to trust (UTS #39 §4-5 in spirit).
 *
 * The skeleton comes from the `confusables` package (Unicode's confusables mapped to their Latin lookalikes); the
 * script test uses the engine's Unicode script properties, and punycode the WHATWG URL parser, both built in.
 */
import removeConfusables from 'confusables';
import {punycodeAddress} from '../address.ts';

const scripts = ['Latin', 'Cyrillic', 'Greek', 'Armenian', 'Hebrew', 'Arabic', 'Han', 'Hiragana', 'Katakana', 'Hangul', 'Thai', 'Georgian', 'Cherokee', 'Devanagari'] as const;
const scriptPatterns = scripts.map(script => ({script, pattern: new RegExp(`\\p{Script=${script}}`, 'u')}));
// Chinese and Japanese domains mix these on purpose (UTS #39 "Highly Restrictive" allows it).
const japanese = new Set<string>(['Han', 'Hiragana', 'Katakana']);

function domainOf(address: string): string {
	const at = address.lastIndexOf('@');
	return at === -1 ? '' : address.slice(at + 1);
}

/** The scripts the letters of one domain label are written in (digits, hyphens and marks belong to none). */
function scriptsOf(label: string): Set<string> {
	const found = new Set<string>();
	for (const character of label) {
		const match = scriptPatterns.find(({pattern}) => pattern.test(character));
		if (match) {
			found.add(match.script);
		} else if (/\p{L}/u.test(character)) {
			found.add('Other');
		}
	}

	return found;
}

/** True when one label of the domain mixes scripts (CJK combinations aside). */
export function mixesScripts(domain: string): boolean {
	return domain.split('.').some(label => {
		const found = [...scriptsOf(label)];
		return found.length > 1 && !found.every(script => japanese.has(script) || script === 'Latin');
	});
}

function skeleton(text: string): string {
	return removeConfusables(text.normalize('NFKC')).toLowerCase();
}

/**
 * A warning for each of `addresses` that looks like one of `known` without being it, or whose domain mixes scripts.
 * Known addresses themselves (the user invited them) get none.
 */
export function lookalikeWarnings(addresses: readonly string[], known: readonly string[]): string[] {
	const knownSet = new Set(known);
	const warnings: string[] = [];
	for (const address of new Set(addresses)) {
		if (!address || knownSet.has(address)) {
			continue;
		}

		const domain = domainOf(address);
		const shown = punycodeAddress(address);
		const twin = known.find(other => other !== address && skeleton(other) === skeleton(address));
		if (twin) {
			warnings.push(`${shown} looks like ${twin} but is a different address (written with lookalike characters).`);
		} else if (mixesScripts(domain)) {
			warnings.push(`${shown} has a domain written in a mix of alphabets, a common trick to imitate another domain.`);
		}
	}

	return warnings;
}
