// @vitest-environment happy-dom
import {cleanup, render, screen, within} from '@testing-library/preact';
import {afterEach, describe, expect, test} from 'vitest';
import {OtherAppsSent} from '../../../../components/other-apps-sent.tsx';
import {sentSentence, type SentRecord} from '../../../../lib/scheduling/index.ts';
import {formatRelative} from '../../../../lib/ui/format.ts';

const now = new Date('2026-12-02T10:00:00Z');
const format = {timeZone: 'Europe/Berlin'};

/** A record as runScheduling logs it: the sentence is lib/scheduling's own for the message. */
function record(id: string, minutesAgo: number, message: Parameters<typeof sentSentence>[0], summary: string, extra: Partial<SentRecord> = {}): SentRecord {
	return {id, at: new Date(now.getTime() - (minutesAgo * 60_000)).toISOString(), uid: `${id}@example.org`, summary, sentence: sentSentence(message, summary), rejected: [], ...extra};
}

const moved = record('moved', 2, {method: 'REQUEST', reason: 'changed', calendar: '', recipients: ['a@example.org', 'b@example.org', 'c@example.org'], changed: ['time']}, 'Team sync');
const cancelled = record('gone', 90, {method: 'CANCEL', reason: 'deleted', calendar: '', recipients: ['a@example.org']}, 'Lunch', {
	rejected: [{address: 'nobody@rejected.test', reason: '550 no such user'}],
});
const failed = record('refused', 5, {method: 'REQUEST', reason: 'new', calendar: '', recipients: ['a@example.org', 'b@example.org']}, 'Kick-off', {
	error: 'The relay refused the request: the mail is too large.',
});

afterEach(() => {
	cleanup();
});

describe('OtherAppsSent', () => {
	test('one line per mail, newest first as given: the sentence, when, and who the mail server refused', () => {
		render(<OtherAppsSent records={[moved, cancelled]} now={now} format={format} />);
		const section = screen.getByRole('region', {name: 'Sent for changes in other apps'});
		const items = within(section).getAllByRole('listitem');
		expect(items.map(item => item.querySelector('.pmi-other-apps-sentence')?.textContent)).toEqual([moved.sentence, cancelled.sentence]);
		expect(items[0]!.textContent).toContain('Sent the new time of Team sync to 3 people because it changed in another app');
		expect(items[0]!.textContent).toContain(formatRelative(moved.at, now, format));
		expect(items[0]!.textContent).not.toContain('Refused');
		expect(items[1]!.textContent).toContain('Refused by the mail server: nobody@rejected.test');
	});

	test('a mail that could not be sent says so, with the reason', () => {
		render(<OtherAppsSent records={[failed]} now={now} format={format} />);
		const item = screen.getByRole('listitem');
		expect(item.textContent).toContain('Could not send the invitation to Kick-off to 2 people');
		expect(item.textContent).toContain('The relay refused the request: the mail is too large.');
	});

	test('nothing sent: no section at all', () => {
		const {container} = render(<OtherAppsSent records={[]} now={now} format={format} />);
		expect(container.innerHTML).toBe('');
		expect(screen.queryByRole('region')).toBeNull();
	});
});
