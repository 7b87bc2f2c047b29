/**
 * buildReply (RFC 5546 §3.2.3): the attendee's REPLY and their copy, checked against the organizer's applyReply.
 */
import ICAL from 'ical.js';
import {describe, expect, test} from 'vitest';
import {applyReply, buildInvite, buildReply, InvalidSpecError, InvalidStoredEventError, process} from '../../../lib/itip/index.ts';
import {attendeeParameter, eventsByOccurrence, eventValue, partStats} from '../../helpers/itip-semantic.ts';

const organizer = 'org@example.com';
const base = {
	uid: 'reply-1@example.com',
	organizer: {email: organizer, name: 'Org'},
	attendees: [{email: 'Alex@Example.org', name: 'Alex'}, {email: 'sam@example.org'}],
	summary: 'Project sync',
	start: '2026-12-01T10:00',
	end: '2026-12-01T11:00',
	timeZone: 'Europe/Berlin',
	now: new Date('2026-11-01T09:00:00Z'),
};
const now = new Date('2026-11-03T08:30:00Z');
const single = buildInvite(base);
const weekly = buildInvite({...base, uid: 'reply-weekly@example.com', repeat: {freq: 'weekly', count: 6}});
const copyOf = (request: string): string => process(request, undefined, {me: ['alex@example.org'], from: [organizer]}).event!;

function calendar(text: string): ICAL.Component {
	return new ICAL.Component(ICAL.parse(text) as unknown[]);
}

describe('the REPLY (RFC 5546 §3.2.3)', () => {
	test.each(['ACCEPTED', 'TENTATIVE', 'DECLINED'] as const)('%s: METHOD:REPLY, same UID/SEQUENCE/ORGANIZER, fresh DTSTAMP, one ATTENDEE', answer => {
		const built = buildReply(copyOf(single.request), {me: ['alex@example.org'], answer, now});
		const reply = calendar(built.reply);
		expect(reply.getFirstPropertyValue('method')).toBe('REPLY');
		const events = reply.getAllSubcomponents('vevent');
		expect(events).toHaveLength(1);
		const event = events[0]!;
		expect(event.getFirstPropertyValue('uid')).toBe(base.uid);
		expect(event.getFirstPropertyValue('sequence')).toBe(0);
		expect(String(event.getFirstPropertyValue('dtstamp'))).toBe('2026-11-03T08:30:00Z');
		expect(event.getFirstPropertyValue('organizer')).toBe(`mailto:${organizer}`);
		const attendees = event.getAllProperties('attendee');
		expect(attendees).toHaveLength(1);
		expect(attendees[0]!.getParameter('partstat')).toBe(answer);
		expect(attendees[0]!.getParameter('rsvp')).toBeUndefined();
		expect(built).toMatchObject({answer, summary: 'Project sync', organizer: {email: organizer, name: 'Org'}, attendee: {email: 'alex@example.org', name: 'Alex'}});
	});

	test('the user is spelled as the invitation lists them (case kept), whatever spelling --me used', () => {
		const request = single.request.replace('mailto:alex@example.org', 'mailto:Alex@Example.ORG');
		const built = buildReply(copyOf(request), {me: ['ALEX@example.org'], answer: 'ACCEPTED', now});
		expect(calendar(built.reply).getFirstSubcomponent('vevent')!.getFirstPropertyValue('attendee')).toBe('mailto:Alex@Example.ORG');
	});

	test('a COMMENT when given (RFC 5545 §3.8.1.4); none otherwise', () => {
		const copy = copyOf(single.request);
		expect(buildReply(copy, {me: ['alex@example.org'], answer: 'TENTATIVE', comment: 'Ten minutes late, sorry', now}).reply).toMatch(/^COMMENT:Ten minutes late\\, sorry\r$/m);
		expect(buildReply(copy, {me: ['alex@example.org'], answer: 'TENTATIVE', now}).reply).not.toMatch(/COMMENT/);
	});

	test('the VTIMEZONEs the REPLY references come with it (RFC 5545 §3.2.19)', () => {
		const built = buildReply(copyOf(single.request), {me: ['alex@example.org'], answer: 'ACCEPTED', now});
		expect(calendar(built.reply).getFirstSubcomponent('vtimezone')?.getFirstPropertyValue('tzid')).toBe('Europe/Berlin');
	});

	test('one occurrence: RECURRENCE-ID in DTSTART\'s form, and an override on the user\'s copy', () => {
		const built = buildReply(copyOf(weekly.request), {me: ['alex@example.org'], answer: 'DECLINED', occurrence: '2026-12-15T10:00', now});
		expect(built.recurrenceId).toBe('2026-12-15T09:00:00Z');
		expect(built.reply).toMatch(/^RECURRENCE-ID;TZID=Europe\/Berlin:20261215T100000\r$/m);
		expect(partStats(built.caldav)).toEqual({
			master: {'org@example.com': 'ACCEPTED', 'alex@example.org': 'NEEDS-ACTION', 'sam@example.org': 'NEEDS-ACTION'},
			'2026-12-15T09:00:00Z': {'org@example.com': 'ACCEPTED', 'alex@example.org': 'DECLINED', 'sam@example.org': 'NEEDS-ACTION'},
		});
		// A UTC instant names the same occurrence.
		expect(buildReply(copyOf(weekly.request), {me: ['alex@example.org'], answer: 'DECLINED', occurrence: '2026-12-15T09:00:00Z', now}).recurrenceId).toBe('2026-12-15T09:00:00Z');
	});

	test('the user\'s copy carries the answer, without METHOD (RFC 4791 §4.1)', () => {
		const built = buildReply(copyOf(single.request), {me: ['alex@example.org'], answer: 'ACCEPTED', now});
		expect(calendar(built.caldav).getFirstPropertyValue('method')).toBeNull();
		expect(attendeeParameter(built.caldav, 'master', 'alex@example.org', 'partstat')).toBe('ACCEPTED');
		expect(eventValue(built.caldav, 'master', 'summary')).toBe('Project sync');
	});

	test('answering the invitation itself (METHOD:REQUEST) works like answering the copy', () => {
		expect(buildReply(single.request, {me: ['alex@example.org'], answer: 'ACCEPTED', now}).caldav).toBe(buildReply(copyOf(single.request), {me: ['alex@example.org'], answer: 'ACCEPTED', now}).caldav);
	});
});

describe('the organizer\'s applyReply accepts every REPLY we build', () => {
	test.each([
		['series accepted', single, {answer: 'ACCEPTED' as const}, 'master', 'ACCEPTED'],
		['series tentative with comment', single, {answer: 'TENTATIVE' as const, comment: 'Maybe'}, 'master', 'TENTATIVE'],
		['one occurrence declined', weekly, {answer: 'DECLINED' as const, occurrence: '2026-12-08T10:00'}, '2026-12-08T09:00:00Z', 'DECLINED'],
	])('%s', (_label, invite, options, occurrence, partstat) => {
		const built = buildReply(copyOf(invite.request), {me: ['alex@example.org'], now, ...options});
		const result = applyReply(invite.caldav, built.reply, {senders: ['alex@example.org'], me: [organizer]});
		expect(result.outcome).toBe('applied');
		expect(partStats(result.event)[occurrence]!['alex@example.org']).toBe(partstat);
		if (occurrence !== 'master') {
			expect(partStats(result.event).master!['alex@example.org']).toBe('NEEDS-ACTION');
			expect([...eventsByOccurrence(result.event).keys()].sort()).toEqual([occurrence, 'master'].sort());
		}
	});
});

describe('misuse throws named errors', () => {
	test.each([
		['not invited', {me: ['carol@example.org'], answer: 'ACCEPTED'}, 'me'],
		['bad answer', {me: ['alex@example.org'], answer: 'MAYBE'}, 'answer'],
		['occurrence of a single event', {me: ['alex@example.org'], answer: 'ACCEPTED', occurrence: '2026-12-01T10:00'}, 'occurrence'],
	])('%s → InvalidSpecError(%s)', (_label, options, field) => {
		expect(() => buildReply(single.request, {...(options as Parameters<typeof buildReply>[1]), now})).toThrow(expect.objectContaining({name: 'InvalidSpecError', field}) as Error);
	});

	test('an occurrence the series does not have', () => {
		expect(() => buildReply(weekly.request, {me: ['alex@example.org'], answer: 'ACCEPTED', occurrence: '2026-12-09T10:00', now})).toThrow(InvalidSpecError);
	});

	test('no ORGANIZER, or not iCalendar → InvalidStoredEventError', () => {
		expect(() => buildReply(single.request.replace(/ORGANIZER[^\r\n]*\r\n/, ''), {me: ['alex@example.org'], answer: 'ACCEPTED', now})).toThrow(InvalidStoredEventError);
		expect(() => buildReply('nope', {me: ['alex@example.org'], answer: 'ACCEPTED', now})).toThrow(InvalidStoredEventError);
	});
});
