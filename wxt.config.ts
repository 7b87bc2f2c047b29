import {defineConfig} from 'wxt';
import preact from '@preact/preset-vite';

/** Origins of the companion relay that ship granted (it runs on the user's own machine by default). */
const relayOrigins = ['http://127.0.0.1/*', 'http://localhost/*'];
/** Purelymail's CalDAV server. */
const caldavOrigins = ['https://purelymail.com/*'];
/** Purelymail's webmail (Roundcube 1.6, Elastic skin). */
export const webmailOrigins = ['https://inbox.purelymail.com/*', 'https://purelymail.com/webmail/*'];

export default defineConfig({
	modules: ['@wxt-dev/webextension-polyfill'],
	// Auto-imports hide where a name comes from; take WXT APIs from '#imports' instead.
	imports: false,
	vite: () => ({
		plugins: [preact()],
	}),
	manifest: ({browser}) => ({
		name: 'Purelymail Invites',
		description: 'Send real meeting invitations from Purelymail and see who accepted.',
		permissions: ['storage', 'alarms', 'notifications'],
		host_permissions: [...caldavOrigins, ...webmailOrigins, ...relayOrigins],
		...(browser === 'firefox'
			? {
				browser_specific_settings: {
					gecko: {
						id: 'invites@purelymail-invites.example',
						strict_min_version: '142.0',
						data_collection_permissions: {required: ['none']},
					},
				},
			}
			: {}),
	}),
});
