/**
 * The agent's log lines: one per tick and one per applied answer, `key=value` pairs after a word saying what
 * happened (logfmt), on stdout, no timestamp (journald and `docker logs` add their own). Never a password: only
 * the mailbox address, event UIDs and summaries, attendee addresses and answers.
 */
import type {AgentTickResult} from '../../lib/agent/index.ts';

export type AgentLog = (line: string) => void;

/** A value as logfmt writes it: bare when it is one plain word, quoted (JSON escaping) otherwise. */
function value(item: string | number | boolean): string {
	const textValue = String(item);
	return /^[\w.@:/+-]+$/.test(textValue) ? textValue : JSON.stringify(textValue);
}

export function logLine(event: string, fields: Record<string, string | number | boolean | undefined>): string {
	const pairs = Object.entries(fields).filter(([, item]) => item !== undefined).map(([name, item]) => `${name}=${value(item!)}`);
	return [event, ...pairs].join(' ');
}

/** Whether a tick failed somewhere (`--once` then exits 1): the reply loop, or calendar-app scheduling. */
export function tickFailed(result: AgentTickResult): boolean {
	return Boolean(result.tick.error ?? result.scheduling?.error);
}

/** The tick's line, then a line per applied answer and one per mail sent for a change in another calendar app. */
export function tickLines(mailbox: string, reason: string, result: AgentTickResult, ms: number): string[] {
	const {tick, sync, scheduling} = result;
	const count = (kind: string): number => tick.outcomes.filter(outcome => outcome.outcome === kind).length;
	const lines = [logLine('tick', {
		mailbox,
		reason,
		events: sync ? sync.listed : undefined,
		messages: tick.messages,
		applied: count('applied'),
		unchanged: count('unchanged'),
		review: count('review'),
		parked: count('parked'),
		skipped: count('skipped') + count('ignored'),
		writes: tick.writes,
		filed: tick.filing ? tick.filing.moved.length : undefined,
		ms,
		error: tick.error ? `${tick.error.kind}: ${tick.error.message}` : undefined,
		filing_error: tick.filing?.error,
		stopped: tick.stopped,
		...(scheduling ? {
			changes: scheduling.changes, baselines: scheduling.baselines, sent: scheduling.sent.length, waiting: scheduling.waiting, written: scheduling.writes,
			scheduling_error: scheduling.error ? `${scheduling.error.kind}: ${scheduling.error.message}` : undefined,
		} : {}),
	})];
	for (const answer of tick.answers) {
		lines.push(logLine('applied', {mailbox, event: answer.eventUid, summary: answer.summary, attendee: answer.attendee, partstat: answer.partstat}));
	}

	for (const record of scheduling?.sent ?? []) {
		lines.push(logLine('sent', {
			mailbox, event: record.uid, id: record.id, sentence: record.sentence,
			rejected: record.rejected.length > 0 ? record.rejected.map(rejection => rejection.address).join(',') : undefined, error: record.error,
		}));
	}

	return lines;
}
