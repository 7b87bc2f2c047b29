/**
 * Every kind of object we build parses in ical.js and in an independent parser (Debian's python3-icalendar), and
 * both read the same UID, SUMMARY, instants and answers from it.
 */
import ICAL from 'ical.js';
import {describe, expect, test} from 'vitest';
import {applyReply, buildCancel, buildInvite, buildUpdate, type InviteSpec} from '../../../lib/itip/index.ts';
import {parseWithPython, pythonComponents} from '../../helpers/python-icalendar.ts';

const now = new Date('2026-11-01T09:00:00Z');
const spec: InviteSpec = {
	uid: 'parser-check@example.com',
	organizer: {email: 'org@example.com', name: 'Zoë Ørganizer, PhD'},
	attendees: [{email: 'ann@example.org', name: 'Ann Smith'}, {email: 'bob@example.org', optional: true}],
	summary: `Grüße; Planung, Q1 \\ ${'日本語'.repeat(20)}\nZweite Zeile 😀`,
	description: 'Long '.repeat(40),
	location: 'Café, upstairs',
	start: '2026-12-01T10:00',
	end: '2026-12-01T11:00',
	timeZone: 'Europe/Berlin',
	repeat: {freq: 'weekly', byDay: ['TU'], until: '2027-06-29'},
	now,
};

const invite = buildInvite(spec);
const replied = applyReply(invite.caldav, [
	'BEGIN:VCALENDAR', 'METHOD:REPLY', 'BEGIN:VEVENT', `UID:${spec.uid!}`, 'DTSTAMP:20261102T100000Z', 'SEQUENCE:0',
	'RECURRENCE-ID:20261208T090000Z', 'COMMENT:Sorry\\, "dentist"', 'ATTENDEE;PARTSTAT=DECLINED:mailto:ann@example.org', 'END:VEVENT', 'END:VCALENDAR', '',
].join('\r\n'), {senders: ['ann@example.org'], me: ['org@example.com']});
const update = buildUpdate(replied.event, {start: '2026-12-02T14:00', end: '2026-12-02T15:00', addAttendees: [{email: 'carol@example.org', name: 'Carol'}], removeAttendees: ['bob@example.org'], now});

const {repeat: _repeat, ...specWithoutRepeat} = spec;

const built: Array<[string, string]> = [
	['invite REQUEST', invite.request],
	['invite CalDAV copy', invite.caldav],
	['all-day invite', buildInvite({...spec, allDay: true, start: '2026-12-24', end: '2026-12-26', repeat: {freq: 'yearly', count: 5}}).request],
	['UTC invite', buildInvite({...specWithoutRepeat, timeZone: 'UTC'}).request],
	['event after a reply (override, X- parameters, comment)', replied.event],
	['update REQUEST', update.request!],
	['update CANCEL for removed attendees', update.cancel!],
	['updated CalDAV copy', update.caldav],
	['CANCEL of the whole event', buildCancel(invite.caldav, {now}).cancel],
	['CANCEL of one occurrence', buildCancel(invite.caldav, {recurrenceId: '2026-12-15T10:00', now}).cancel],
	['CalDAV copy after cancelling one occurrence', buildCancel(invite.caldav, {recurrenceId: '2026-12-15T10:00', now}).caldav],
];

/** What ical.js reads from each VEVENT, in python's vocabulary. */
function icalView(text: string): Array<Record<string, unknown>> {
	const calendar = new ICAL.Component(ICAL.parse(text) as unknown[]);
	return calendar.getAllSubcomponents('vevent').map(event => {
		const utc = (name: string): string | undefined => {
			const value = event.getFirstPropertyValue(name) as ICAL.Time | null;
			return value && !value.isDate ? value.convertToZone(ICAL.Timezone.utcTimezone).toICALString().replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z') : undefined;
		};

		return {
			uid: event.getFirstPropertyValue('uid'),
			summary: event.getFirstPropertyValue('summary'),
			dtstart: utc('dtstart'),
			recurrenceId: utc('recurrence-id'),
			attendees: event.getAllProperties('attendee').map(property => [String(property.getFirstValue()), property.getParameter('partstat') ?? 'NEEDS-ACTION', property.getParameter('cn')]),
		};
	});
}

function pythonView(text: string): Array<Record<string, unknown>> {
	const root = parseWithPython(text);
	return pythonComponents(root, 'VEVENT').map(event => ({
		uid: event.properties.UID?.[0]?.value,
		summary: event.properties.SUMMARY?.[0]?.value ?? null,
		dtstart: event.properties.DTSTART?.[0]?.utc,
		recurrenceId: event.properties['RECURRENCE-ID']?.[0]?.utc,
		attendees: (event.properties.ATTENDEE ?? []).map(property => [property.value, property.params.PARTSTAT ?? 'NEEDS-ACTION', property.params.CN]),
	}));
}

describe.each(built)('%s', (_label, text) => {
	test('python3-icalendar parses it without errors, and reads what ical.js reads', () => {
		const root = parseWithPython(text);
		const errors = [root, ...root.components, ...root.components.flatMap(component => component.components)].flatMap(component => component.errors);
		expect(errors).toEqual([]);
		const python = pythonView(text);
		expect(python.length).toBeGreaterThan(0);
		expect(python).toEqual(icalView(text));
	});

	test('METHOD is what each envelope needs', () => {
		const method = parseWithPython(text).properties.METHOD?.[0]?.value;
		const expected = /CalDAV copy|event after a reply/.test(_label) ? undefined : /CANCEL/.test(_label) ? 'CANCEL' : 'REQUEST';
		expect(method).toBe(expected);
	});
});

test('python reads the zone from our VTIMEZONE the same way: 10:00 Berlin is 09:00Z in December', () => {
	const event = pythonComponents(parseWithPython(invite.caldav), 'VEVENT')[0]!;
	expect(event.properties.DTSTART?.[0]).toMatchObject({params: {TZID: 'Europe/Berlin'}, local: '2026-12-01T10:00:00+01:00', utc: '2026-12-01T09:00:00Z'});
});

test('python keeps our X- parameters and the attendee\'s comment', () => {
	const override = pythonComponents(parseWithPython(replied.event), 'VEVENT').find(event => event.properties['RECURRENCE-ID'])!;
	const ann = override.properties.ATTENDEE?.find(property => property.value === 'mailto:ann@example.org');
	expect(ann?.params).toMatchObject({'X-PMI-REPLY-SEQUENCE': '0', 'X-PMI-REPLY-DTSTAMP': '20261102T100000Z'});
	// RFC 6868 encodes the double quote as ^'; python-icalendar 4 does not decode RFC 6868, ical.js does.
	expect(ann?.params['X-PMI-COMMENT']).toBe('Sorry, ^\'dentist^\'');
});
