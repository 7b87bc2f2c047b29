import type {JSX} from 'preact';
import type {CalendarChoice, UserFacingError} from '@/lib/messaging';
import type {Settings} from '@/lib/model';
import {CalendarPicker} from './calendar-picker';
import {Field} from './field';

type OptionsCalendarProps = {
	/** The id prefix of the options form. */
	id: string;
	settings: Pick<Settings, 'calendarUrl' | 'calendarName'>;
	calendars?: CalendarChoice[] | undefined;
	discovering: boolean;
	discoverError?: UserFacingError | undefined;
	onChange(calendarUrl: string | null, calendarName: string | undefined): void;
	onDiscover(): void;
};

/** The options form's Calendar section: the calendar invitations go to, and "Find calendars". */
export function OptionsCalendar({id, settings, calendars, discovering, discoverError, onChange, onDiscover}: OptionsCalendarProps): JSX.Element {
	return (
		<fieldset class="pmi-section-box">
			<legend>Calendar</legend>
			<Field id={`${id}-calendar`} label="Calendar">
				<CalendarPicker
					id={`${id}-calendar`}
					value={settings.calendarUrl}
					valueName={settings.calendarName}
					calendars={calendars}
					discovering={discovering}
					error={discoverError}
					onChange={(calendarUrl, calendarName) => {
						onChange(calendarUrl === '' ? null : calendarUrl, calendarName);
					}}
					onDiscover={() => {
						onDiscover();
					}}
				/>
			</Field>
		</fieldset>
	);
}
