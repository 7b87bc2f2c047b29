import type {JSX} from 'preact';
import type {Settings} from '@/lib/model';
import {pollMinutesRange, type OptionsErrors} from '@/lib/ui/options-form';
import {Field} from './field';
import {Switch} from './switch';

type OptionsAnswersProps = {
	/** The id prefix of the options form. */
	id: string;
	settings: Pick<Settings, 'pollMinutes' | 'notifications'>;
	errors: OptionsErrors;
	setSettings(changes: Partial<Settings>): void;
};

/** The options form's Answers section: how often the reply loop checks, and notifications. */
export function OptionsAnswers({id, settings, errors, setSettings}: OptionsAnswersProps): JSX.Element {
	return (
		<fieldset class="pmi-section-box">
			<legend>Answers</legend>
			<Field id={`${id}-poll`} label="Check every" error={errors.pollMinutes}>
				<div class="pmi-inline">
					<input
						id={`${id}-poll`}
						type="number"
						class={`pmi-input pmi-number${errors.pollMinutes ? ' pmi-is-invalid' : ''}`}
						min={pollMinutesRange.min}
						max={pollMinutesRange.max}
						value={settings.pollMinutes}
						aria-label="Check for answers every how many minutes"
						onInput={event => {
							setSettings({pollMinutes: event.currentTarget.valueAsNumber});
						}}
					/>
					<span>minutes (1 to 30)</span>
				</div>
			</Field>
			<Field id={`${id}-notifications`} label="Notifications">
				<Switch
					id={`${id}-notifications`}
					label="Show a notification for each answer"
					checked={settings.notifications}
					onChange={notifications => {
						setSettings({notifications});
					}}
				/>
			</Field>
		</fieldset>
	);
}
