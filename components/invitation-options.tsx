import type {JSX} from 'preact';
import {defaultFilingFolder} from '@/lib/invitations/settings';
import type {InvitationPolicy, InvitationSettings} from '@/lib/invitations/types';
import type {CalendarChoice} from '@/lib/messaging';
import {Field} from './field';
import {Switch} from './switch';

type InvitationOptionsProps = {
	/** The id prefix of the options form. */
	id: string;
	value: InvitationSettings;
	/** The calendars "Find calendars" listed, if it ran. */
	calendars?: CalendarChoice[] | undefined;
	filingError?: string | undefined;
	onChange(value: InvitationSettings): void;
};

const policies: Array<{value: InvitationPolicy; text: string}> = [
	{value: 'contacts', text: 'From my contacts and people I invited or answered'},
	{value: 'anyone', text: 'From anyone'},
	{value: 'never', text: 'Never: only list them in the popup'},
];

type Choice = 'apply' | 'ask';

function ApplyOrAsk({id, label, value, applyText, onChange}: {id: string; label: string; value: Choice; applyText: string; onChange(value: Choice): void}): JSX.Element {
	return (
		<Field id={id} label={label}>
			<select
				id={id}
				class="pmi-input pmi-select"
				value={value}
				aria-label={label}
				onChange={event => {
					onChange(event.currentTarget.value === 'ask' ? 'ask' : 'apply');
				}}
			>
				<option value="apply">{applyText}</option>
				<option value="ask">Ask me in the popup first</option>
			</select>
		</Field>
	);
}

/**
 * "Invitations you receive" (issue 14): whose invitations the reply loop adds to the calendar by itself and which
 * calendar, what it does with updates and cancellations, and whether processed mails are filed into a folder.
 */
export function InvitationOptions({id, value, calendars, filingError, onChange}: InvitationOptionsProps): JSX.Element {
	const set = (changes: Partial<InvitationSettings>): void => {
		onChange({...value, ...changes});
	};

	// A calendar picked earlier stays listed even before "Find calendars" ran again.
	const choices = calendars && calendars.length > 0 ? calendars : [];
	const unknownCalendar = value.calendarUrl !== null && !choices.some(calendar => calendar.url === value.calendarUrl);
	return (
		<fieldset class="pmi-section-box">
			<legend>Invitations you receive</legend>
			<p class="pmi-section-intro">
				Invitations in your mail are added to your calendar as not answered yet, and listed in the popup under
				“Invitations for you”. Nothing is ever answered for you.
			</p>
			<Field id={`${id}-policy`} label="Add by themselves">
				<select
					id={`${id}-policy`}
					class="pmi-input pmi-select"
					value={value.policy}
					aria-label="Whose invitations are added to your calendar by themselves"
					onChange={event => {
						set({policy: policies.find(policy => policy.value === event.currentTarget.value)?.value ?? 'contacts'});
					}}
				>
					{policies.map(policy => <option key={policy.value} value={policy.value}>{policy.text}</option>)}
				</select>
			</Field>
			<Field id={`${id}-invitation-calendar`} label="Into">
				<select
					id={`${id}-invitation-calendar`}
					class="pmi-input pmi-select"
					value={value.calendarUrl ?? ''}
					aria-label="The calendar new invitations go to"
					onChange={event => {
						set({calendarUrl: event.currentTarget.value === '' ? null : event.currentTarget.value});
					}}
				>
					<option value="">The calendar above</option>
					{choices.map(calendar => <option key={calendar.url} value={calendar.url}>{calendar.name}</option>)}
					{unknownCalendar ? <option value={value.calendarUrl!}>{value.calendarUrl}</option> : null}
				</select>
			</Field>
			<ApplyOrAsk id={`${id}-updates`} label="Updates" value={value.updates} applyText="Apply the organizer’s changes" onChange={updates => {
				set({updates});
			}} />
			<ApplyOrAsk id={`${id}-cancellations`} label="Cancellations" value={value.cancellations} applyText="Apply the organizer’s cancellations" onChange={cancellations => {
				set({cancellations});
			}} />
			<Field id={`${id}-remove-cancelled`} label="Cancelled events">
				<Switch
					id={`${id}-remove-cancelled`}
					label="Remove cancelled events (instead of marking them cancelled)"
					checked={value.removeCancelled}
					onChange={removeCancelled => {
						set({removeCancelled});
					}}
				/>
			</Field>
			<Field id={`${id}-filing`} label="Filing" error={filingError} hint="Invitation, update, cancellation and answer mails, once in your calendar, are moved to this folder (created if missing). Mails that need you stay in the inbox.">
				<Switch
					id={`${id}-filing`}
					label="Move processed invitation mails to a folder"
					checked={value.filingFolder !== null}
					onChange={filing => {
						set({filingFolder: filing ? defaultFilingFolder : null});
					}}
				/>
				{value.filingFolder === null
					? null
					: (
						<input
							id={`${id}-filing-folder`}
							type="text"
							class={`pmi-input${filingError ? ' pmi-is-invalid' : ''}`}
							value={value.filingFolder}
							spellcheck={false}
							aria-label="Folder for processed invitation mails"
							aria-invalid={filingError ? true : undefined}
							onInput={event => {
								set({filingFolder: event.currentTarget.value});
							}}
						/>
					)}
			</Field>
		</fieldset>
	);
}
