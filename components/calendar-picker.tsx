import type {JSX} from 'preact';
import type {CalendarChoice, UserFacingError} from '@/lib/messaging';
import {Icon} from './icon';
import {Spinner} from './spinner';

type CalendarPickerProps = {
	id: string;
	value: string | null;
	/** The saved calendar's name, shown for it until (and unless) discovery lists it again. */
	valueName?: string | undefined;
	/** Undefined until "Find calendars" ran. */
	calendars?: CalendarChoice[] | undefined;
	discovering: boolean;
	error?: UserFacingError | undefined;
	/** The picked URL ('' for none) and, when the server listed it, its name. */
	onChange(url: string, name: string | undefined): void;
	onDiscover(): void;
};

/** The calendar invitations are written to, picked from what the CalDAV server lists. */
export function CalendarPicker({id, value, valueName, calendars, discovering, error, onChange, onDiscover}: CalendarPickerProps): JSX.Element {
	const choices = calendars ?? [];
	// The saved calendar stays selectable before discovery, and if the server no longer lists it.
	const known = value !== null && !choices.some(choice => choice.url === value);
	return (
		<div class="pmi-stack">
			<div class="pmi-input-group">
				<select
					id={id}
					class="pmi-input pmi-select"
					value={value ?? ''}
					disabled={choices.length === 0 && value === null}
					aria-label="Calendar"
					aria-describedby={`${id}-hint`}
					onChange={event => {
						const url = event.currentTarget.value;
						onChange(url, choices.find(choice => choice.url === url)?.name ?? (url === value ? valueName : undefined));
					}}
				>
					{value === null && choices.length === 0 ? <option value="">Click “Find calendars”</option> : null}
					{value === null && choices.length > 0 ? <option value="">Pick a calendar</option> : null}
					{known ? <option value={value}>{valueName ?? value}</option> : null}
					{choices.map(choice => <option key={choice.url} value={choice.url}>{choice.name}</option>)}
				</select>
				<button
					type="button"
					class="pmi-btn pmi-btn-secondary pmi-input-group-button"
					disabled={discovering}
					aria-label="Find calendars on the CalDAV server"
					onClick={onDiscover}
				>
					{discovering ? <Spinner class="pmi-spinner-on-primary" /> : <Icon name="refresh" />}
					<span>Find calendars</span>
				</button>
			</div>
			{error
				? <div class="pmi-invalid" role="alert">{error.message}{error.action ? ` ${error.action}` : ''}</div>
				: <div class="pmi-hint" id={`${id}-hint`}>{calendars && choices.length === 0 ? 'The server lists no calendars for this account.' : 'Invitations are saved to this calendar; answers are written there too.'}</div>}
		</div>
	);
}
