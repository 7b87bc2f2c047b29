/** What the options page shows a person setting up the relay the browser starts: the commands, in one place. */
import type {NativeRelaySetup} from '../messaging.ts';

/** The two commands that install the relay and let the browsers start it (relay/README.md says the same). */
export const relayInstallCommands = ['npm install -g purelymail-invites-relay', 'purelymail-invites-relay install-native'] as const;

/** One line on where the set-up stands, for the heading of the relay section. */
export function relaySetupSummary(setup: NativeRelaySetup | undefined): string {
	switch (setup?.state) {
		case undefined: {
			return 'Checking the relay…';
		}

		case 'not-allowed': {
			return 'Install the relay on this computer, then allow the extension to start it.';
		}

		case 'not-installed': {
			return 'The relay is not installed on this computer yet.';
		}

		case 'connected': {
			return `Connected: relay ${setup.version}, ${setup.watching ? 'watching your inbox (new answers arrive at once)' : 'not watching the inbox yet (answers arrive at the next check)'}.`;
		}

		case 'failed': {
			return `The browser started the relay, but it failed: ${setup.message}`;
		}
	}
}
