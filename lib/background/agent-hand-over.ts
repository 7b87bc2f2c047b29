/**
 * The extension and the always-on agent never both act on one mailbox (issue 17). Before each of its ticks the
 * background reads the agent's marker from the calendar (lib/agent marker.ts), keeps it for the popup, and leaves
 * the tick to the agent while the agent serves the mailbox. A marker that cannot be read counts as none: the
 * extension then works as it always did (the agent, if there is one, applies each reply once all the same, since
 * both decide from what the calendar holds: a reply already recorded is `unchanged`).
 */
import {agentServes, readAgentMarker, type AgentMarker} from '../agent/index.ts';
import {agentMarkerItem} from '../storage.ts';
import {markerWithRequests} from './agent-requests.ts';
import type {Context} from './context.ts';

/** The serving agent's marker, or undefined when the extension should run its own tick. */
export async function agentServing(context: Pick<Context, 'account' | 'settings'>, now = new Date()): Promise<AgentMarker | undefined> {
	const {calendarUrl} = context.settings;
	const marker = calendarUrl
		? await readAgentMarker({username: context.account.email, password: context.account.password}, calendarUrl).catch(() => undefined)
		: undefined;
	// Replies the agent sent to review, less those the user already sent "apply anyway" or "dismiss" for.
	const shown = marker ? await markerWithRequests(context, marker, now).catch(() => marker) : undefined;
	await agentMarkerItem.setValue(shown ?? null);
	return agentServes(marker, now) ? marker : undefined;
}
