/** What the invite flow needs: the account's calendar and mail (through the relay), and where we keep our events. */
import type {CaldavClient} from '../caldav/index.ts';
import type {SendStep} from '../messaging.ts';
import type {Account, Settings} from '../model.ts';
import type {EventsStore} from '../stored-events.ts';
import type {RelayClient} from '../relay-client/index.ts';

export type {EventsStore} from '../stored-events.ts';

export type InviteDeps = {
	caldav: Pick<CaldavClient, 'createEvent' | 'readEvent' | 'updateWithRetry'>;
	relay: Pick<RelayClient, 'send'>;
	account: Account;
	settings: Settings;
	events: EventsStore;
	/** Told as each step starts, succeeds or fails (the composer shows them). */
	onProgress?: (step: SendStep) => void;
	now?: () => Date;
};
