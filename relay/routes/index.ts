/** The API's calls by name, each with its handler: the HTTP server maps paths onto them, the native host call names. */
import type {RouteHandler} from './context.ts';
import {health} from './health.ts';
import {move} from './move.ts';
import {replies} from './replies.ts';
import {send} from './send.ts';
import {verify} from './verify.ts';

export const routeHandlers = {health, verify, send, replies, move} as const satisfies Record<string, RouteHandler>;

export type RouteName = keyof typeof routeHandlers;
