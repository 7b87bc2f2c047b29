import {describe, expect, test} from 'vitest';
import {agentServes, markerAfterTick, markerText, parseAgentMarker, type AgentMarker, type AgentTickResult} from '../../../lib/agent/index.ts';
import type {AppliedAnswer} from '../../../lib/reply-loop/index.ts';

const marker: AgentMarker = {
	version: 1, state: 'running', host: 'home-server', seenAt: '2026-12-02T09:00:00.000Z', tickSeconds: 300,
	lastTick: {at: '2026-12-02T09:00:00.000Z'}, watch: 'idle',
	answers: [{attendee: 'sam@example.org', partstat: 'DECLINED', summary: 'Planning', at: '2026-12-02T08:00:00.000Z'}],
	review: [], handled: [],
};

function tickWith(answers: AppliedAnswer[], error?: string): AgentTickResult {
	return {tick: {messages: answers.length, outcomes: [], answers, writes: answers.length, ...(error ? {error: {kind: 'relay', message: error}} : {})}};
}

const answer = (attendee: string, partstat: string): AppliedAnswer => ({eventUid: 'u1', summary: 'Project sync', attendee, partstat});

describe('the agent\'s marker', () => {
	test('what the agent writes is what the extension reads', () => {
		expect(parseAgentMarker(markerText(marker))).toEqual(marker);
	});

	test.each([
		['nothing', undefined],
		['empty', ''],
		['not JSON', '{"version": 1'],
		['another version', markerText({...marker, version: 2 as 1})],
		['no host', JSON.stringify({...marker, host: undefined})],
		['a date that is not one', markerText({...marker, seenAt: 'yesterday'})],
		['no period', markerText({...marker, tickSeconds: 0})],
		['an unknown state', JSON.stringify({...marker, state: 'sleeping'})],
	])('%s is no marker', (_name, text) => {
		expect(parseAgentMarker(text)).toBeUndefined();
	});

	test('answers that are not answers are left out, and at most five are kept', () => {
		const answers = Array.from({length: 7}, (_unused, index) => ({attendee: `a${index}@example.org`, partstat: 'ACCEPTED', summary: 'S', at: marker.seenAt}));
		const parsed = parseAgentMarker(JSON.stringify({...marker, answers: [{attendee: 3}, null, ...answers]}));
		expect(parsed?.answers.map(kept => kept.attendee)).toEqual(answers.slice(0, 5).map(kept => kept.attendee));
	});

	test.each([
		['just written', '2026-12-02T09:00:00.000Z', true],
		['two full ticks and a minute later', '2026-12-02T09:11:00.000Z', true],
		['a second past that: gone', '2026-12-02T09:11:01.000Z', false],
		['written in the future (a clock ahead)', '2026-12-02T08:59:00.000Z', true],
	])('a running agent %s serves: %s', (_name, now, serves) => {
		expect(agentServes(marker, new Date(now))).toBe(serves);
	});

	test('a stopped agent, or none, serves nothing', () => {
		expect(agentServes({...marker, state: 'stopped'}, new Date(marker.seenAt))).toBe(false);
		expect(agentServes(undefined, new Date(marker.seenAt))).toBe(false);
	});

	test('after a tick: seen now, the new answers first (the tick\'s last first), at most five, the error if any', () => {
		const now = new Date('2026-12-02T09:05:00.000Z');
		const next = markerAfterTick(marker, tickWith([answer('alex@example.org', 'ACCEPTED'), answer('kim@example.org', 'TENTATIVE')]), now);
		expect(next).toMatchObject({seenAt: now.toISOString(), lastTick: {at: now.toISOString()}, state: 'running', host: 'home-server'});
		expect(next.answers.map(kept => `${kept.attendee} ${kept.partstat} ${kept.at}`)).toEqual([
			`kim@example.org TENTATIVE ${now.toISOString()}`,
			`alex@example.org ACCEPTED ${now.toISOString()}`,
			`sam@example.org DECLINED ${marker.answers[0]!.at}`,
		]);
		const many = markerAfterTick(next, tickWith(Array.from({length: 6}, (_unused, index) => answer(`p${index}@example.org`, 'ACCEPTED'))), now);
		expect(many.answers.map(kept => kept.attendee)).toEqual(['p5@example.org', 'p4@example.org', 'p3@example.org', 'p2@example.org', 'p1@example.org']);
		expect(markerAfterTick(marker, tickWith([], 'relay: connection refused'), now).lastTick).toEqual({at: now.toISOString(), error: 'relay: connection refused'});
	});
});
