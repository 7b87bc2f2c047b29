/** The options page's "Test connection" and calendar discovery: CalDAV directly, IMAP and SMTP through the relay. */
import {relayAccountOf} from '../account.ts';
import {discoverCalendars, withBackoff} from '../caldav/index.ts';
import type {CalendarChoice, ConnectionCheck, ConnectionReport, OptionsState, UserFacingError} from '../messaging.ts';
import type {LoginCheck} from '../relay-client/types.ts';
import {relayUserError, toUserFacingError, userError} from '../user-errors.ts';
import {relayClientFor} from './context.ts';

function fromLogin(check: LoginCheck, server: string, relayUrl: string): ConnectionCheck {
	if (check.ok) {
		return {ok: true, detail: `Logged in to ${server}`};
	}

	return {ok: false, error: relayUserError(check.error.code, check.error.message, {relayUrl})};
}

export async function findCalendars(state: OptionsState): Promise<{ok: true; calendars: CalendarChoice[]} | {ok: false; error: UserFacingError}> {
	if (!state.account?.email || !state.account.password) {
		return {ok: false, error: userError('not-configured', 'Enter your address and app password first.')};
	}

	try {
		const discovery = await withBackoff(async () => discoverCalendars({
			serverUrl: state.settings.servers.caldavUrl, username: state.account!.email, password: state.account!.password,
		}));
		return {ok: true, calendars: discovery.calendars.map(calendar => ({url: calendar.url, name: calendar.name, ...(calendar.color ? {color: calendar.color} : {})}))};
	} catch (error) {
		return {ok: false, error: toUserFacingError(error, {relayUrl: state.settings.relayUrl})};
	}
}

export async function testConnection(state: OptionsState): Promise<ConnectionReport> {
	const {settings, account} = state;
	const calendars = await findCalendars(state);
	const caldav: ConnectionCheck = calendars.ok
		? {ok: true, detail: `${calendars.calendars.length} calendar${calendars.calendars.length === 1 ? '' : 's'} found`}
		: {ok: false, error: calendars.error};
	if (!account?.email || !account.password) {
		const error = userError('not-configured', 'Enter your address and app password first.');
		return {caldav, relay: {ok: false, error}, imap: {ok: false, error}, smtp: {ok: false, error}};
	}

	const relay = relayClientFor(settings);
	try {
		const health = await relay.health();
		const verified = await relay.verify(relayAccountOf(account, settings));
		return {
			caldav,
			relay: {ok: true, detail: `Relay ${health.version} answers`},
			imap: fromLogin(verified.imap, settings.servers.imap.host, settings.relayUrl),
			smtp: fromLogin(verified.smtp, settings.servers.smtp.host, settings.relayUrl),
		};
	} catch (error) {
		const failure = toUserFacingError(error, {relayUrl: settings.relayUrl});
		const untested: ConnectionCheck = {ok: false, error: {...userError('untested'), action: failure.action}};
		return {caldav, relay: {ok: false, error: failure}, imap: untested, smtp: untested};
	}
}
