/**
 * What a fetched message is about: each calendar part's UID and METHOD, or why it cannot be read.
 * The relay sends only the calendar parts; they are normalised as readCalendarMail does (LF-only lines, tab folds).
 */
import {normaliseCalendarText} from '../imip/index.ts';
import {calendarHead, replyFromTnef, tooManyEventsReason} from '../itip/index.ts';
import type {ReplyMessage} from '../relay-client/types.ts';

export type ClassifiedPart =
	| {kind: 'calendar'; uid: string; method: string | null; text: string}
	| {kind: 'unreadable'; reason: string}
	/** Turned away unread (too many events, TNEF with no answer in it): `ignored`, as applyReply would say. */
	| {kind: 'refused'; reason: string};

/** RFC 6047 §2.4: a calendar sent inline and as an attachment is one calendar; keep the first copy. */
function distinct(texts: string[]): string[] {
	return [...new Set(texts)];
}

export function classifyMessage(message: ReplyMessage): ClassifiedPart[] {
	const parts: ClassifiedPart[] = [];
	const texts: string[] = [];
	for (const part of message.calendarParts) {
		if (part.tnef?.kind === 'meeting-response') {
			// The relay read Outlook's answer out of winmail.dat: it goes on as the REPLY it stands for.
			texts.push(replyFromTnef(part.tnef));
			continue;
		}

		if (part.tnef?.kind === 'none') {
			parts.push({kind: 'refused', reason: part.tnef.reason});
			continue;
		}

		if (part.encoding === 'base64' || part.contentType === 'application/ms-tnef') {
			// A relay older than TNEF reading sends the bytes alone.
			parts.push({kind: 'unreadable', reason: 'Outlook TNEF reply: not readable by this relay (the answer is inside a winmail.dat attachment); update the relay.'});
			continue;
		}

		texts.push(normaliseCalendarText(part.text));
	}

	for (const skipped of message.skippedParts ?? []) {
		parts.push({kind: 'unreadable', reason: `A calendar attachment of ${Math.round(skipped.size / 1024)} KB was too large to read.`});
	}

	for (const text of distinct(texts)) {
		// Counted before parsing: a crafted calendar with thousands of events costs a scan, not a parse.
		const tooMany = tooManyEventsReason(text);
		if (tooMany) {
			parts.push({kind: 'refused', reason: tooMany});
			continue;
		}

		const head = calendarHead(text);
		if (!head.ok) {
			parts.push({kind: 'unreadable', reason: head.reason});
			continue;
		}

		parts.push({kind: 'calendar', uid: head.uid, method: head.method, text});
	}

	return parts;
}
