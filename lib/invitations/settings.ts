/** The user's choices about received invitations, with the defaults for what they never set. */
import type {Settings} from '../model.ts';
import {defaultInvitationSettings, type InvitationSettings} from './types.ts';

export function invitationSettingsOf(settings: Pick<Settings, 'invitations'>): InvitationSettings {
	return {...defaultInvitationSettings, ...settings.invitations};
}
