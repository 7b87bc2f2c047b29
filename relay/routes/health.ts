/** `GET /v1/health`: is the relay up, and which version. The one call without a token. */
import {relayVersion} from '../version.ts';
import type {RouteHandler} from './context.ts';
import type {HealthResponse} from '../../lib/relay-client/types.ts';

export const health: RouteHandler = async (): Promise<HealthResponse> => ({ok: true, version: relayVersion});
