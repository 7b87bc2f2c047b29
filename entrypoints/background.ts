import {browser, defineBackground} from '#imports';
import {onMessage} from '@/lib/messaging';
import {isOwnExtensionSender} from '@/lib/sender-check';

export default defineBackground(() => {
	onMessage('ping', ({sender}) => {
		if (!isOwnExtensionSender(sender, browser.runtime.id)) {
			throw new Error('Message from outside this extension refused');
		}

		return {ok: true, version: browser.runtime.getManifest().version};
	});
});
