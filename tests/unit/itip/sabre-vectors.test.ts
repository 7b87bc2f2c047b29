/**
 * sabre/vobject's 14 REPLY-processing vectors (BrokerProcessReplyTest.php), run through applyReply.
 * Our result must match sabre's `after` in every attendee's PARTSTAT, per component, unless a row names a deliberate
 * difference. The vectors are bare .ics with no mail around them; the context says the mail came from the replier.
 */
import {readFileSync, existsSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, test} from 'vitest';
import {applyReply} from '../../../lib/itip/index.ts';
import {partStats} from '../../helpers/itip-semantic.ts';

const repoRoot = path.resolve(import.meta.dirname, '../../..');
const vectors = path.resolve(repoRoot, '../shared/fixtures/itip/vectors/reply-processing');
const read = (name: string, part: 'before' | 'reply' | 'after'): string => readFileSync(path.join(vectors, `${name}.${part}.ics`), 'utf8');
const organizer = 'bar@example.org';

/** The replier named in a vector's reply, used as the mail's From. */
function replier(reply: string): string {
	return /ATTENDEE[^:]*:mailto:([^\s]+)/i.exec(reply)?.[1]?.toLowerCase() ?? '';
}

describe('sabre/vobject vectors that we follow', () => {
	test.each([
		['reply-accept', 'applied'],
		['reply-accept-update-rsvp', 'applied'],
		['reply-request-status', 'applied'],
		['reply-with-tz', 'applied'],
		['reply-new-exception', 'applied'],
		['reply-new-exception-tz', 'applied'],
		['reply-new-exception-first-occurrence', 'applied'],
		['reply-new-exception-recurrence-id-in-utc', 'applied'],
		['reply-new-exception-recurrence-id-in-different-tz', 'applied'],
		['reply-existing-exception-recurrence-id-in-utc', 'applied'],
	])('%s: %s, same PARTSTATs as sabre', (name, outcome) => {
		const reply = read(name, 'reply');
		const result = applyReply(read(name, 'before'), reply, {senders: [replier(reply)], me: [organizer]});
		expect(result.outcome).toBe(outcome);
		expect(partStats(result.event)).toEqual(partStats(read(name, 'after')));
	});

	test('the vectors really contain something to compare (guards the table above)', () => {
		expect(Object.keys(partStats(read('reply-new-exception-recurrence-id-in-different-tz', 'after')))).toEqual(['master', '2014-07-25T04:00:00Z']);
	});

	test('reply-accept-update-rsvp: RSVP no longer asks for a reply (sabre removes it; we write RSVP=FALSE)', () => {
		const reply = read('reply-accept-update-rsvp', 'reply');
		const result = applyReply(read('reply-accept-update-rsvp', 'before'), reply, {senders: ['foo@example.org'], me: [organizer]});
		expect(result.event).toMatch(/RSVP=FALSE/);
		expect(result.event).not.toMatch(/RSVP=TRUE/);
	});

	test('reply-request-status: the status code is kept (sabre: SCHEDULE-STATUS=2.3; we: X-PMI-REQUEST-STATUS=2.3, full text in changes)', () => {
		const reply = read('reply-request-status', 'reply');
		const result = applyReply(read('reply-request-status', 'before'), reply, {senders: ['foo@example.org'], me: [organizer]});
		expect(result.event).toMatch(/X-PMI-REQUEST-STATUS=2\.3/);
		expect(result.changes).toEqual([{attendee: 'foo@example.org', partstat: 'ACCEPTED', requestStatus: ['2.3;foo-bar!']}]);
	});
});

describe('sabre/vobject vectors where we differ on purpose', () => {
	// sabre adds an uninvited replier ("party crasher") to the event. We never do that silently: RFC 5546 §3.2.3 leaves
	// accepting or cancelling an uninvited attendee to the organizer, so it goes to review; the event is unchanged.
	// With `allowUninvited` (the user reviewed it) our result matches sabre's `after` again.
	test.each(['reply-party-crasher', 'reply-party-crash-create-exception'])('%s: review instead of adding the crasher', name => {
		const before = read(name, 'before');
		const reply = read(name, 'reply');
		const context = {senders: ['crasher@example.org'], me: [organizer]};
		const result = applyReply(before, reply, context);
		expect(result.outcome).toBe('review');
		expect(result.reason).toMatch(/crasher@example\.org .*not invited/);
		expect(result.event).toBe(before);
		expect(result.changes).toEqual([expect.objectContaining({attendee: 'crasher@example.org', partstat: 'ACCEPTED'})]);

		const reviewed = applyReply(before, reply, {...context, allowUninvited: true});
		expect(reviewed.outcome).toBe('applied');
		expect(partStats(reviewed.event)).toEqual(partStats(read(name, 'after')));
	});

	// sabre leaves nothing when the REPLY has no original; our API always takes a stored event, so the matching
	// cases are "no stored event text" and "a stored event with another UID": both ignored, nothing written.
	test.each([
		['an empty stored event', '', /stored event could not be read/],
		['a stored event with another UID', read('reply-accept', 'before').replace('UID:foobar', 'UID:other'), /another event \(UID foobar\)/],
	])('reply-no-original against %s: ignored', (_label, before, reason) => {
		expect(existsSync(path.join(vectors, 'reply-no-original.after.ics'))).toBe(false);
		const result = applyReply(before, read('reply-no-original', 'reply'), {senders: ['foo@example.org'], me: [organizer]});
		expect(result.outcome).toBe('ignored');
		expect(result.reason).toMatch(reason);
		expect(result.event).toBe(before);
	});

	// sabre returns nothing (no master to add an exception to). We agree: the reply's occurrence matches nothing we
	// store, so it is ignored before the question of the uninvited replier even comes up, with or without review.
	test('reply-new-exception-no-master-event: review (not invited, checked before any occurrence work), then ignored once the crasher is allowed', () => {
		expect(existsSync(path.join(vectors, 'reply-new-exception-no-master-event.after.ics'))).toBe(false);
		const before = read('reply-new-exception-no-master-event', 'before');
		const reply = read('reply-new-exception-no-master-event', 'reply');
		const context = {senders: ['crasher@example.org'], me: [organizer]};
		expect(applyReply(before, reply, context)).toMatchObject({outcome: 'review', check: 'uninvited'});
		const reviewed = applyReply(before, reply, {...context, allowUninvited: true});
		expect(reviewed.outcome).toBe('ignored');
		expect(reviewed.reason).toMatch(/no series to add the occurrence of 2014-07-25T00:00:00Z/);
		expect(reviewed.event).toBe(before);
	});
});
