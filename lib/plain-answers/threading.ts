/**
 * Whether a mail answers one of our invitations, by its headers alone: the one rule shared by the relay (which
 * returns only such mail) and the extension's matcher.
 */

/**
 * Reply prefixes mail clients put before a subject: English Re, German AW/Antw, Scandinavian SV/VS, French Réf,
 * Polish Odp, Turkish YNT, Chinese 回复/答复, each maybe numbered ("Re[2]:") and repeated ("Re: AW: ").
 */
const replyPrefix = /^\s*(?:re|aw|antw|sv|vs|r[ée]f|odp|ynt|回复|答复)\s*(?:\[\d+\])?\s*[:：]\s*/iu;

/** The subject without reply prefixes, blanks folded, lower case: what an answer's subject and ours share. */
export function subjectKey(subject: string): string {
	let rest = subject;
	for (let guard = 0; guard < 20 && replyPrefix.test(rest); guard++) {
		rest = rest.replace(replyPrefix, '');
	}

	return rest.replaceAll(/\s+/g, ' ').trim().toLowerCase();
}

/** Whether `subject` is a reply to a mail with subject `original` ("Re: " + it, give or take prefixes and blanks). */
export function isReplySubject(subject: string, original: string): boolean {
	const key = subjectKey(original);
	return key !== '' && replyPrefix.test(subject) && subjectKey(subject) === key;
}

/** Message-IDs written in In-Reply-To and References (RFC 5322 §3.6.4), each with its angle brackets. */
export function referencedIds(inReplyTo: string | null | undefined, references: string | readonly string[] | null | undefined): string[] {
	const text = [inReplyTo ?? '', ...(typeof references === 'string' ? [references] : (references ?? []))].join(' ');
	return [...new Set(text.match(/<[^<>\s]+>/g) ?? [])];
}

/** Whether the mail's In-Reply-To or References names one of `messageIds` (compared exactly, brackets included). */
export function referencesOneOf(referenced: readonly string[], messageIds: ReadonlySet<string>): boolean {
	return referenced.some(id => messageIds.has(id));
}
