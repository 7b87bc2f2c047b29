/** withPlainAnswers wraps the loop's relay port: what it adds to polls must not take filing's `move` away. */
import {describe, expect, test} from 'vitest';
import {withPlainAnswers, type PlainAnswerStore} from '../../../lib/plain-answers/relay-port.ts';
import type {RelayPort} from '../../../lib/reply-loop/ports.ts';
import type {MoveRequest, MoveResponse, RepliesResponse} from '../../../lib/relay-client/types.ts';

const emptyStore: PlainAnswerStore = {sent: async () => ({}), events: async () => ({}), add: async () => undefined};
const noReplies: RepliesResponse = {messages: [], cursor: {folders: {}}} as unknown as RepliesResponse;
const request: MoveRequest = {account: {user: 'alex@example.test', password: 'pw'}, folder: 'INBOX', uidValidity: '7', uids: [3], to: 'Invitations'};

describe('withPlainAnswers', () => {
	test('keeps the relay\'s move, so filing stays on when plain answers are asked for', async () => {
		const moved: MoveRequest[] = [];
		const relay = {
			replies: async () => noReplies,
			// A method that uses `this`, as a relay client's does.
			answer: {moved: true, to: 'Invitations', created: true, uidMap: []} satisfies MoveResponse,
			async move(this: {answer: MoveResponse}, move: MoveRequest) {
				moved.push(move);
				return this.answer;
			},
		};
		const wrapped = withPlainAnswers(relay as RelayPort, emptyStore);
		expect(wrapped.move).toBeTypeOf('function');
		await expect(wrapped.move!(request)).resolves.toEqual(relay.answer);
		expect(moved).toEqual([request]);
	});

	test('a relay without move gives a port without move (filing off)', () => {
		expect(withPlainAnswers({replies: async () => noReplies}, emptyStore).move).toBeUndefined();
	});
});
