/** The user's choices about received invitations, with the defaults for what they never set. */
import type {Settings} from '../model.ts';
import {defaultInvitationSettings, type InvitationSettings} from './types.ts';

export function invitationSettingsOf(settings: Pick<Settings, 'invitations'>): InvitationSettings {
	return {...defaultInvitationSettings, ...settings.invitations};
}

/** The folder filing suggests when the user turns it on. */
export const defaultFilingFolder = 'Invitations';

/**
 * Why a filing folder name will not do, or undefined. INBOX and Junk are the folders the loop reads (a mail filed
 * there would be read again); IMAP names have no control characters (RFC 9051 §5.1), and Purelymail's own are short.
 */
export function filingFolderProblem(name: string): string | undefined {
	const trimmed = name.trim();
	if (trimmed === '') {
		return 'Name the folder processed invitation mails go to.';
	}

	if (['inbox', 'junk', 'spam'].includes(trimmed.toLowerCase())) {
		return `Processed mails cannot be filed into ${trimmed}: it is read for new invitations. Pick another folder.`;
	}

	// eslint-disable-next-line no-control-regex -- the control characters are what is refused
	if (trimmed.length > 200 || /[\u0000-\u001F\u007F]/.test(trimmed)) {
		return 'A folder name of at most 200 characters, without line breaks.';
	}

	return undefined;
}
