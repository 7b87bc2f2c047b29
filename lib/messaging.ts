import {defineExtensionMessaging} from '@webext-core/messaging';

/** Every message the extension's contexts send each other, with its payload and answer. */
export type ProtocolMap = {
	/** Liveness check: the background answers with its version. */
	ping(): {ok: true; version: string};
};

export const {sendMessage, onMessage} = defineExtensionMessaging<ProtocolMap>();
