/** lib/agent: what the always-on agent does for one mailbox on each tick, on the same lib/ decisions as the extension. */
export {agentTick, type AgentStore, type AgentTickDeps, type AgentTickResult} from './agent-tick.ts';
export {organizedEvent} from './organized-event.ts';
export {syncEvents, type EventSync} from './sync-events.ts';
export {agentMarkerProperty, agentServes, markerAfterTick, markerInvitations, markerReview, markerReviews, markerText, markerWithNews, parseAgentMarker, readAgentMarker, type AgentMarker, type AgentMarkerAnswer, type AgentMarkerReview, type MarkerNews} from './marker.ts';
export {agentRequestsProperty, isOpenReview, parseAgentRequests, performAgentRequests, readAgentRequests, requestsText, type AgentRequest, type AgentRequestAction, type AgentRequestStore, type HandledRequest} from './requests.ts';
export {agentAttendeeDeps, agentEventsStore, agentInviteDeps, agentSettings} from './invite-deps.ts';
export {markerInvitationListings} from './marker-invitations.ts';
export {agentConfigFile, agentConfigText, AgentConfigError, maskedPassword, parseAgentAccount, type AgentAccount} from './config-file.ts';
export {agentInvitationDeps, type AgentInvitationState} from './invitation-deps.ts';
