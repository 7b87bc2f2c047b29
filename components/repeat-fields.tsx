import type {JSX} from 'preact';
import type {Weekday} from '@/lib/itip/index';
import {weekdayOrder, type RepeatForm, type RepeatFrequency} from '@/lib/ui/composer-form';
import {isLocalDate, weekdayOf} from '@/lib/local-time';

const dayNames: Record<Weekday, {short: string; long: string}> = {
	MO: {short: 'M', long: 'Monday'},
	TU: {short: 'T', long: 'Tuesday'},
	WE: {short: 'W', long: 'Wednesday'},
	TH: {short: 'T', long: 'Thursday'},
	FR: {short: 'F', long: 'Friday'},
	SA: {short: 'S', long: 'Saturday'},
	SU: {short: 'S', long: 'Sunday'},
};

const units: Record<Exclude<RepeatFrequency, 'none'>, [string, string]> = {
	daily: ['day', 'days'],
	weekly: ['week', 'weeks'],
	monthly: ['month', 'months'],
	yearly: ['year', 'years'],
};

type RepeatFieldsProps = {
	id: string;
	repeat: RepeatForm;
	/** The first day, for the labels ("monthly on day 14") and the default weekday. */
	date: string;
	error?: string | undefined;
	onChange(repeat: RepeatForm): void;
};

function frequencyLabels(date: string): Record<RepeatFrequency, string> {
	const valid = isLocalDate(date);
	const day = valid ? Number(date.slice(8)) : undefined;
	const weekday = valid ? dayNames[weekdayOf(date)].long : undefined;
	const monthDay = valid
		? new Intl.DateTimeFormat(undefined, {day: 'numeric', month: 'long', timeZone: 'UTC'}).format(new Date(`${date}T00:00:00Z`))
		: undefined;
	return {
		none: 'Does not repeat',
		daily: 'Daily',
		weekly: weekday ? `Weekly (on ${weekday} or other days)` : 'Weekly',
		monthly: day ? `Monthly on day ${day}` : 'Monthly',
		yearly: monthDay ? `Yearly on ${monthDay}` : 'Yearly',
	};
}

/** Repeat: none, daily, weekly on chosen days, monthly, yearly; every N; ends never, after N times or on a day. */
export function RepeatFields({id, repeat, date, error, onChange}: RepeatFieldsProps): JSX.Element {
	const labels = frequencyLabels(date);
	const set = (changes: Partial<RepeatForm>): void => {
		onChange({...repeat, ...changes});
	};

	// A weekly repeat with no day picked falls on the start's weekday; show that day as picked.
	const pickedDays = repeat.byDay.length === 0 && isLocalDate(date) ? [weekdayOf(date)] : repeat.byDay;
	const toggleDay = (day: Weekday): void => {
		const days = pickedDays.includes(day) ? pickedDays.filter(item => item !== day) : [...pickedDays, day];
		set({byDay: weekdayOrder.filter(item => days.includes(item))});
	};

	return (
		<fieldset class={`pmi-field${error ? ' pmi-has-error' : ''}`} aria-describedby={error ? `${id}-error` : undefined}>
			<legend class="pmi-field-label">Repeat</legend>
			<div class="pmi-field-control pmi-stack">
				<select
					id={id}
					class="pmi-input pmi-select"
					aria-label="Repeat"
					value={repeat.freq}
					onChange={event => {
						set({freq: event.currentTarget.value as RepeatFrequency});
					}}
				>
					{(Object.keys(labels) as RepeatFrequency[]).map(freq => <option key={freq} value={freq}>{labels[freq]}</option>)}
				</select>
				{repeat.freq === 'none'
					? null
					: (
						<>
							<div class="pmi-inline">
								<span>Every</span>
								<input
									type="number"
									class="pmi-input pmi-number"
									min={1}
									max={999}
									value={repeat.interval}
									aria-label={`Repeat every how many ${units[repeat.freq][1]}`}
									onInput={event => {
										set({interval: event.currentTarget.valueAsNumber});
									}}
								/>
								<span>{repeat.interval === 1 ? units[repeat.freq][0] : units[repeat.freq][1]}</span>
							</div>
							{repeat.freq === 'weekly'
								? (
									<div class="pmi-weekdays" role="group" aria-label="Repeat on">
										{weekdayOrder.map(day => (
											<button
												key={day}
												type="button"
												class="pmi-weekday"
												aria-pressed={pickedDays.includes(day)}
												aria-label={dayNames[day].long}
												title={dayNames[day].long}
												onClick={() => {
													toggleDay(day);
												}}
											>
												{dayNames[day].short}
											</button>
										))}
									</div>
								)
								: null}
							<div class="pmi-ends" role="radiogroup" aria-label="Ends">
								<span class="pmi-ends-title">Ends</span>
								<label class="pmi-radio">
									<input type="radio" name={`${id}-ends`} checked={repeat.ends === 'never'} aria-label="Never ends" onChange={() => {
										set({ends: 'never'});
									}} />
									<span>Never</span>
								</label>
								<label class="pmi-radio">
									<input type="radio" name={`${id}-ends`} checked={repeat.ends === 'count'} aria-label="Ends after a number of times" onChange={() => {
										set({ends: 'count'});
									}} />
									<span>After</span>
									<input
										type="number"
										class="pmi-input pmi-number"
										min={1}
										max={999}
										value={repeat.count}
										aria-label="Number of times"
										onFocus={() => {
											set({ends: 'count'});
										}}
										onInput={event => {
											set({ends: 'count', count: event.currentTarget.valueAsNumber});
										}}
									/>
									<span>times</span>
								</label>
								<label class="pmi-radio">
									<input type="radio" name={`${id}-ends`} checked={repeat.ends === 'until'} aria-label="Ends on a day" onChange={() => {
										set({ends: 'until'});
									}} />
									<span>On</span>
									<input
										type="date"
										class="pmi-input pmi-date"
										value={repeat.until}
										min={isLocalDate(date) ? date : undefined}
										aria-label="Last day"
										onFocus={() => {
											set({ends: 'until'});
										}}
										onInput={event => {
											set({ends: 'until', until: event.currentTarget.value});
										}}
									/>
								</label>
							</div>
						</>
					)}
				{error ? <div class="pmi-invalid" id={`${id}-error`} role="alert">{error}</div> : null}
			</div>
		</fieldset>
	);
}
