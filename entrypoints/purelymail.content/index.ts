import {defineContentScript} from '#imports';
import {isComposeScreen} from '@/lib/roundcube/page';
import {sendMessage} from '@/lib/messaging';

export default defineContentScript({
	matches: ['https://inbox.purelymail.com/*', 'https://purelymail.com/webmail/*'],
	runAt: 'document_idle',
	async main() {
		// Wiring only until the invite composer lands: a marker that shows the script runs and reaches the background.
		const marker = document.createElement('meta');
		marker.name = 'purelymail-invites';
		marker.content = isComposeScreen(document) ? 'compose' : 'other';
		document.head.append(marker);
		const answer = await sendMessage('ping', undefined);
		marker.dataset.background = answer.ok ? 'ok' : 'down';
	},
});
