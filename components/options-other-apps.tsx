import type {JSX} from 'preact';
import type {Settings} from '@/lib/model';
import {Field} from './field';
import {Switch} from './switch';

type OptionsOtherAppsProps = {
	/** The id prefix of the options form. */
	id: string;
	settings: Pick<Settings, 'scheduleOtherApps'>;
	setSettings(changes: Partial<Settings>): void;
};

/** The options form's "Other calendar apps" section: calendar-app scheduling (issue 18), off by default. */
export function OptionsOtherApps({id, settings, setSettings}: OptionsOtherAppsProps): JSX.Element {
	return (
		<fieldset class="pmi-section-box">
			<legend>Other calendar apps</legend>
			<Field id={`${id}-other-apps`} label="Scheduling">
				<Switch
					id={`${id}-other-apps`}
					label="Send invitations and answers for changes made in other calendar apps"
					checked={settings.scheduleOtherApps ?? false}
					onChange={scheduleOtherApps => {
						setSettings({scheduleOtherApps});
					}}
				/>
			</Field>
			<p class="pmi-section-intro" id={`${id}-other-apps-hint`}>
				Purelymail’s calendar server sends no invitations. With this on, meetings you make or change in Apple Calendar,
				Thunderbird or DAVx5 on your Purelymail calendars are sent to their attendees, and your answers to invitations
				reach the organizer. When you turn it on, the events already in your calendars are taken as they are: nothing is
				sent for them until they change. If an app sends its own invitations, it marks them (SCHEDULE-AGENT=CLIENT) and
				nothing is sent twice; if it does not, leave this off.
			</p>
		</fieldset>
	);
}
