import type {JSX} from 'preact';
import {formDuration, startsInPast, withDate, withDuration, withStartTime, type ComposerErrors, type ComposerForm} from '@/lib/ui/composer-form';
import {durationPresets, formatDuration, isLocalDate, isLocalTime, timedEnd} from '@/lib/local-time';
import {Switch} from './switch';
import {TimeZonePicker} from './time-zone-picker';

type WhenFieldsProps = {
	id: string;
	form: ComposerForm;
	errors: ComposerErrors;
	zones: readonly string[];
	browserZone: string;
	/** For the "starts in the past" warning. */
	now: Date;
	onChange(form: ComposerForm): void;
};

/** The instant of the form's start in UTC, near enough for showing zone offsets (`GMT+2`). */
function approximateStart(form: ComposerForm): Date {
	const time = form.allDay || !isLocalTime(form.startTime) ? '12:00' : form.startTime;
	const instant = isLocalDate(form.date) ? new Date(`${form.date}T${time}:00Z`) : new Date();
	return Number.isNaN(instant.getTime()) ? new Date() : instant;
}

function presetLabel(minutes: number): string {
	return minutes < 60 ? `${minutes} min` : `${minutes / 60} h`;
}

/** Date, all day, start and end time with duration presets, or first and last day; and the time zone. */
export function WhenFields({id, form, errors, zones, browserZone, now, onChange}: WhenFieldsProps): JSX.Element {
	const duration = formDuration(form);
	const endsNextDay = !form.allDay && isLocalDate(form.date) && isLocalTime(form.startTime) && isLocalTime(form.endTime)
		&& timedEnd(form.date, form.startTime, form.endTime).date !== form.date;
	const timeErrors = [errors.date, errors.startTime, errors.endTime, errors.endDate].filter(Boolean);
	return (
		<>
			<fieldset class={`pmi-field${timeErrors.length > 0 ? ' pmi-has-error' : ''}`} aria-describedby={timeErrors.length > 0 ? `${id}-error` : undefined}>
				<legend class="pmi-field-label">When</legend>
				<div class="pmi-field-control pmi-stack">
					<div class="pmi-inline pmi-wrap">
						<input
							id={`${id}-date`}
							type="date"
							class={`pmi-input pmi-date${errors.date ? ' pmi-is-invalid' : ''}`}
							value={form.date}
							aria-label={form.allDay ? 'First day' : 'Date'}
							required
							onInput={event => {
								onChange(withDate(form, event.currentTarget.value));
							}}
						/>
						{form.allDay
							? (
								<>
									<span class="pmi-dash" aria-hidden="true">–</span>
									<input
										id={`${id}-end-date`}
										type="date"
										class={`pmi-input pmi-date${errors.endDate ? ' pmi-is-invalid' : ''}`}
										value={form.endDate}
										min={form.date}
										aria-label="Last day"
										onInput={event => {
											onChange({...form, endDate: event.currentTarget.value});
										}}
									/>
								</>
							)
							: (
								<>
									<input
										id={`${id}-start`}
										type="time"
										class={`pmi-input pmi-time${errors.startTime ? ' pmi-is-invalid' : ''}`}
										value={form.startTime}
										step={300}
										aria-label="Start time"
										onInput={event => {
											onChange(withStartTime(form, event.currentTarget.value));
										}}
									/>
									<span class="pmi-dash" aria-hidden="true">–</span>
									<input
										id={`${id}-end`}
										type="time"
										class={`pmi-input pmi-time${errors.endTime ? ' pmi-is-invalid' : ''}`}
										value={form.endTime}
										step={300}
										aria-label={endsNextDay ? 'End time (next day)' : 'End time'}
										onInput={event => {
											onChange({...form, endTime: event.currentTarget.value});
										}}
									/>
									{endsNextDay ? <span class="pmi-tag">next day</span> : null}
								</>
							)}
					</div>
					<div class="pmi-inline pmi-wrap">
						<Switch
							id={`${id}-all-day`}
							label="All day"
							checked={form.allDay}
							onChange={allDay => {
								onChange({...form, allDay, endDate: allDay && (!isLocalDate(form.endDate) || form.endDate < form.date) ? form.date : form.endDate});
							}}
						/>
						{form.allDay
							? null
							: (
								<div class="pmi-presets" role="group" aria-label="Duration">
									{durationPresets.map(minutes => (
										<button
											key={minutes}
											type="button"
											class="pmi-preset"
											aria-pressed={duration === minutes}
											aria-label={`Duration ${formatDuration(minutes)}`}
											onClick={() => {
												onChange(withDuration(form, minutes));
											}}
										>
											{presetLabel(minutes)}
										</button>
									))}
								</div>
							)}
					</div>
					{timeErrors.length > 0 ? <div class="pmi-invalid" id={`${id}-error`} role="alert">{timeErrors.join(' ')}</div> : null}
					{timeErrors.length === 0 && startsInPast(form, now)
						? <div class="pmi-warning" role="status">This is in the past on the clock of {form.timeZone.replaceAll('_', ' ')}.</div>
						: null}
				</div>
			</fieldset>
			<div class={`pmi-field${errors.timeZone ? ' pmi-has-error' : ''}`}>
				<label class="pmi-field-label" for={`${id}-zone`}>Time zone</label>
				<div class="pmi-field-control">
					<TimeZonePicker
						id={`${id}-zone`}
						value={form.timeZone}
						zones={zones}
						at={approximateStart(form)}
						browserZone={browserZone}
						invalid={Boolean(errors.timeZone)}
						describedBy={errors.timeZone ? `${id}-zone-error` : undefined}
						onChange={timeZone => {
							onChange({...form, timeZone});
						}}
					/>
					{form.timeZone !== browserZone && !errors.timeZone
						? <div class="pmi-hint">Times are on the clock of {form.timeZone.replaceAll('_', ' ')}, not this computer’s ({browserZone.replaceAll('_', ' ')}).</div>
						: null}
					{errors.timeZone ? <div class="pmi-invalid" id={`${id}-zone-error`} role="alert">{errors.timeZone}</div> : null}
				</div>
			</div>
		</>
	);
}
