/**
 * An RRULE (RFC 5545 §3.3.10) read back as the composer's `RepeatSpec`, for the mail text of an event made in another
 * app and for the invitation card's words.
 */
import ICAL from 'ical.js';
import type {RepeatSpec, Weekday} from './types.ts';

export type RepeatRule = {
	/** FREQ, INTERVAL, COUNT, UNTIL and the plain weekdays of BYDAY; any other part is left out. */
	spec?: RepeatSpec;
	/** True when `spec` says all of the rule (one the composer could have made). */
	exact: boolean;
	/** The rule as written (`FREQ=MONTHLY;BYMONTHDAY=1`), sender's text: clean it before showing it. */
	text: string;
};

const frequencies: Readonly<Record<string, RepeatSpec['freq']>> = {DAILY: 'daily', WEEKLY: 'weekly', MONTHLY: 'monthly', YEARLY: 'yearly'};

function isWeekday(day: unknown): day is Weekday {
	return typeof day === 'string' && /^(?:MO|TU|WE|TH|FR|SA|SU)$/.test(day);
}

export function readRepeatRule(rule: ICAL.Recur): RepeatRule {
	const text = rule.toString();
	const freq = rule.freq.toLowerCase();
	if (freq !== 'daily' && freq !== 'weekly' && freq !== 'monthly' && freq !== 'yearly') {
		return {exact: false, text};
	}

	const parts = rule.parts as Record<string, unknown[]>;
	const days = parts.BYDAY ?? [];
	const byDay = days.filter(day => isWeekday(day));
	const spec: RepeatSpec = {
		freq,
		...(rule.interval > 1 ? {interval: rule.interval} : {}),
		...(byDay.length > 0 ? {byDay} : {}),
		...(rule.count ? {count: rule.count} : {}),
		...(rule.until ? {until: rule.until.toString().slice(0, 10)} : {}),
	};
	const exact = frequencies[rule.freq] !== undefined && Object.keys(parts).every(name => name === 'BYDAY') && days.every(day => isWeekday(day));
	return {spec, exact, text};
}

/** The RRULE of an event, read, or undefined when it has none. */
export function repeatRuleOf(event: ICAL.Component): RepeatRule | undefined {
	const rule: unknown = event.getFirstPropertyValue('rrule');
	return rule instanceof ICAL.Recur ? readRepeatRule(rule) : undefined;
}
