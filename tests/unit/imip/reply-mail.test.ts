/**
 * Every REPLY mail we build (buildReply + composeReplyMail) parses in Python's `email` and `icalendar` and is applied
 * on the organizer's copy by our own applyReply and by `pmi apply-reply` (the command itself, run in this process
 * on the files a user would hand it): for our invitations and for every REQUEST sample we can answer.
 */
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, describe, expect, test, vi} from 'vitest';
import {run as applyReplyCommand} from '../../../cli/commands/apply-reply.ts';
import {composeReplyMail, readCalendarMail, replySubject} from '../../../lib/imip/index.ts';
import {withMethod, parseCalendar} from '../../../lib/itip/calendar.ts';
import {applyReply, buildInvite, buildReply, serialize, type Answer, type ReplyOptions} from '../../../lib/itip/index.ts';
import {partStats} from '../../helpers/itip-semantic.ts';
import {parseWithPython as parseMailWithPython, pythonDefects, pythonPayload, type PythonPart} from '../../helpers/python-email.ts';
import {parseWithPython as parseIcsWithPython, pythonComponents} from '../../helpers/python-icalendar.ts';

const repoRoot = path.resolve(import.meta.dirname, '../../..');
const samples = path.resolve(repoRoot, '../shared/fixtures/itip/samples');
const now = new Date('2026-11-03T08:30:00Z');
/** Each case starts two Python processes; on a busy machine that alone takes seconds (no time limit is tested here). */
const pythonTimeout = 120_000;

const base = {
	organizer: {email: 'joerg@example.com', name: 'Jörg Müller'},
	attendees: [{email: 'zoe@example.org', name: 'Zoë Ångström'}, {email: 'li@example.net'}],
	summary: 'Café-Planung – Q1',
	start: '2026-12-01T16:00',
	end: '2026-12-01T17:00',
	timeZone: 'Europe/Berlin',
	now: new Date('2026-11-01T09:00:00Z'),
};

/** [label, REQUEST text, organizer, the user, answer options]. */
type Case = [string, string, string, string, Omit<ReplyOptions, 'me' | 'now'>];

async function sampleRequest(name: string): Promise<string> {
	const bytes = readFileSync(path.join(samples, name));
	return name.endsWith('.eml') ? (await readCalendarMail(bytes)).parts[0]!.text : bytes.toString('utf8');
}

const cases: Case[] = [
	['ours, single, accepted', buildInvite({...base, uid: 'r-1@example.com'}).request, 'joerg@example.com', 'zoe@example.org', {answer: 'ACCEPTED'}],
	['ours, single, maybe with a non-ASCII comment', buildInvite({...base, uid: 'r-2@example.com'}).request, 'joerg@example.com', 'zoe@example.org', {answer: 'TENTATIVE', comment: 'Vielleicht – ich komme später, 10 Min.'}],
	['ours, weekly, one occurrence declined', buildInvite({...base, uid: 'r-3@example.com', repeat: {freq: 'weekly', count: 4}}).request, 'joerg@example.com', 'li@example.net', {answer: 'DECLINED', occurrence: '2026-12-08T16:00'}],
	...await Promise.all(([
		['google-REQUEST-meet-invite-qp.eml', 'example@gmail.com', 'homer@example.com', 'ACCEPTED'],
		['google-REQUEST-nextcloudmail-fixture.eml', 'alice@example.org', 'bob@example.org', 'TENTATIVE'],
		['google-REQUEST-2024-full-headers-dkim.eml', 'andris@postalsys.com', 'andris@ethereal.email', 'DECLINED'],
		['google-style-REQUEST-recurrence-exception.eml', 'sender@example.com', 'receiver@example.com', 'ACCEPTED'],
		['protonbridge-REQUEST-no-method-param.eml', 'alice@example.org', 'john@example.org', 'DECLINED'],
		['outlook-REQUEST-teams-meeting.eml', 'marge@example.com', 'bart@example.com', 'ACCEPTED'],
		['outlook-REQUEST-testaus-base64.eml', 'marge@example.org', 'homer@example.org', 'TENTATIVE'],
		['outlookcom-REQUEST-base64-lf.eml', 'alice@example.org', 'bob@example.org', 'ACCEPTED'],
		['outlook16-REQUEST-singlepart-xmsolk.eml', 'username@proton.local', 'recipient@proton.local', 'DECLINED'],
		['apple-REQUEST-recurring-nonmultipart.eml', 'john.doe@example.org', 'jane@example.com', 'ACCEPTED'],
		['roundcube-REQUEST-application-ics-qp.eml', 'john.doe@example.org', 'resource-collection-car@example.org', 'TENTATIVE'],
		['exchange-REQUEST-invite-w-rsvps.ics', 'test2@example.com', 'karim@example.com', 'ACCEPTED'],
		['apple-iphone-REQUEST-via-exchange.ics', 'inbox.apptest2@inboxapp.onmicrosoft.com', 'khamidou@inboxapp.com', 'DECLINED'],
		['kde-korganizer-REQUEST-delegated-attach.ics', 'rolf@mykolab.com', 'rolf2@mykolab.com', 'TENTATIVE'],
	] as Array<[string, string, string, Answer]>).map(async ([name, organizer, me, answer]): Promise<Case> => [name, await sampleRequest(name), organizer, me, {answer}])),
];

const work = mkdtempSync(path.join(tmpdir(), 'pmi-reply-mail-'));
afterAll(() => {
	rmSync(work, {recursive: true, force: true});
});

/** `pmi apply-reply --event STORED.ics --message REPLY.eml --now …` on the files; its exit code and printed JSON. */
async function pmiApplyReply(stored: string, raw: string, label: string): Promise<{code: number; printed: {outcome: string; event: string}}> {
	const slug = label.replaceAll(/\W+/g, '-');
	const event = path.join(work, `${slug}.ics`);
	const message = path.join(work, `${slug}.eml`);
	writeFileSync(event, stored);
	writeFileSync(message, raw);
	const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
	try {
		const code = await applyReplyCommand(['--event', event, '--message', message, '--now', now.toISOString()]);
		expect(log).toHaveBeenCalledTimes(1);
		return {code, printed: JSON.parse(String(log.mock.calls[0]![0])) as {outcome: string; event: string}};
	} finally {
		log.mockRestore();
	}
}

function leaves(part: PythonPart): PythonPart[] {
	return part.children === undefined ? [part] : part.children.flatMap(child => leaves(child));
}

function organizerCopy(request: string): string {
	const parsed = parseCalendar(request);
	if (!parsed.ok) {
		throw new Error(parsed.reason);
	}

	return serialize(withMethod(parsed.calendar, undefined));
}

describe('REPLY mail: Python email + icalendar read it, our applyReply records it', () => {
	test.each(cases)('%s', async (label, request, organizer, me, options) => {
		const built = buildReply(request, {...options, me: [me], now});
		const raw = composeReplyMail(built, {date: now, ...(options.comment === undefined ? {} : {comment: options.comment})});

		// Python's email package: no defects; From the attendee, To the organizer; our REQUEST's tree shape.
		const mail = parseMailWithPython(raw);
		expect(pythonDefects(mail.tree)).toEqual([]);
		expect(mail.from.map(box => box.email)).toEqual([me]);
		expect(mail.to.map(box => box.email)).toEqual([organizer]);
		expect(mail.subject).toBe(replySubject(options.answer, built.summary));
		expect(mail.tree.type).toBe('multipart/mixed');
		expect(mail.tree.children?.map(child => child.type)).toEqual(['multipart/alternative', 'application/ics']);
		const calendarPart = leaves(mail.tree).find(part => part.type === 'text/calendar')!;
		expect(calendarPart.params.method).toBe('REPLY');
		expect(calendarPart.encoding).not.toBe('base64');
		const calendarText = new TextDecoder().decode(pythonPayload(calendarPart));

		// Python's icalendar: METHOD:REPLY, each VEVENT with exactly one ATTENDEE carrying the answer.
		const ics = parseIcsWithPython(calendarText);
		expect(ics.properties.METHOD?.[0]?.value).toBe('REPLY');
		const events = pythonComponents(ics, 'VEVENT');
		expect(events.length).toBeGreaterThan(0);
		for (const event of events) {
			expect(event.properties.ATTENDEE).toHaveLength(1);
			expect(event.properties.ATTENDEE![0]!.params.PARTSTAT).toBe(options.answer);
			expect(event.properties.ATTENDEE![0]!.value.toLowerCase()).toBe(`mailto:${me}`);
			expect(event.properties.UID?.[0]?.value).toBe(built.uid);
		}

		if (options.comment !== undefined) {
			expect(events[0]!.properties.COMMENT?.[0]?.value).toBe(options.comment);
		}

		// The organizer's own applyReply, with the sender Python read, records it.
		const result = applyReply(organizerCopy(request), calendarText, {senders: mail.from.map(box => box.email), me: [organizer]});
		expect(result.outcome).toBe('applied');
		const key = built.recurrenceId ?? (partStats(result.event).master ? 'master' : Object.keys(partStats(result.event))[0]!);
		expect(partStats(result.event)[key]![me]).toBe(options.answer);

		// `pmi apply-reply` on the whole mail as sent (--me defaults to the stored event's ORGANIZER): the same.
		const command = await pmiApplyReply(organizerCopy(request), raw, label);
		expect(command.code).toBe(0);
		expect(command.printed.outcome).toBe('applied');
		expect(partStats(command.printed.event)[key]![me]).toBe(options.answer);
	}, pythonTimeout);
});
