import {defineConfig} from 'wxt';
import preact from '@preact/preset-vite';
import {chromeManifestKey, geckoExtensionId} from './lib/extension-identity.ts';

/** Origins of the companion relay that ship granted (it runs on the user's own machine by default). */
const relayOrigins = ['http://127.0.0.1/*', 'http://localhost/*'];
/** Purelymail's CalDAV server. */
const caldavOrigins = ['https://purelymail.com/*'];
/** Purelymail's webmail (Roundcube 1.6, Elastic skin). */
/** Other Roundcube webmails and relays, granted one origin at a time from the options page. */
const optionalOrigins = ['https://*/*', 'http://*/*'];
export const webmailOrigins = ['https://inbox.purelymail.com/*', 'https://purelymail.com/webmail/*'];

/**
 * The oldest Firefox the Firefox build is for: 140, the ESR line Debian 12 serves from its main suite (140.x; the
 * security suite has 153.x) and the first Firefox that shows the built-in data consent our
 * `data_collection_permissions` declares (AMO requires the key of new add-ons). Everything else the build uses is
 * older: AbortSignal.any() (124, the relay client's timeouts), CSS light-dark() (120, the dark theme),
 * `scripting.registerContentScripts` in MV2 (102, other webmails). The e2e journeys run in Debian's firefox-esr.
 */
const firefoxMinVersion = '140.0';

export default defineConfig({
	modules: ['@wxt-dev/webextension-polyfill'],
	// Auto-imports hide where a name comes from; take WXT APIs from '#imports' instead.
	imports: false,
	vite: () => ({
		plugins: [preact()],
	}),
	manifest: ({browser, manifestVersion}) => ({
		name: 'Purelymail Invites',
		description: 'Send real meeting invitations from Purelymail and see who accepted.',
		permissions: ['storage', 'alarms', 'notifications'],
		// A fixed ID for unpacked and test builds: the relay's native-messaging manifest names it (lib/extension-identity.ts).
		...(browser === 'firefox' ? {} : {key: chromeManifestKey}),
		host_permissions: [...caldavOrigins, ...webmailOrigins, ...relayOrigins],
		// Asked for from the options page only when the user adds another Roundcube webmail or a relay elsewhere:
		// the origin, and `scripting` to register our content script there at run time.
		// (Firefox's MV2 build lists optional origins among optional_permissions.) `nativeMessaging` only when the user
		// picks the relay that the browser starts itself.
		...(manifestVersion === 2
			? {optional_permissions: ['scripting', 'nativeMessaging', ...optionalOrigins]}
			: {optional_permissions: ['scripting', 'nativeMessaging'], optional_host_permissions: optionalOrigins}),
		...(browser === 'firefox'
			? {
				browser_specific_settings: {
					gecko: {
						id: geckoExtensionId,
						strict_min_version: firefoxMinVersion,
						data_collection_permissions: {required: ['none']},
					},
					// Firefox for Android reads data_collection_permissions from 142.
					gecko_android: {strict_min_version: '142.0'},
				},
			}
			: {}),
	}),
});
