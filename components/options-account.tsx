import type {JSX} from 'preact';
import {appPasswordSteps, appPasswordUrl, type OptionsErrors, type OptionsForm} from '@/lib/ui/options-form';
import {Field} from './field';
import {Icon} from './icon';
import {SecretInput} from './secret-input';

type AccountFields = Pick<OptionsForm, 'email' | 'name' | 'password' | 'aliases'>;

type OptionsAccountProps = {
	/** The id prefix of the options form. */
	id: string;
	form: AccountFields;
	errors: OptionsErrors;
	onChange(changes: Partial<AccountFields>): void;
};

/** The options form's Account section: address, name, app password, other addresses. */
export function OptionsAccount({id, form, errors, onChange}: OptionsAccountProps): JSX.Element {
	return (
		<fieldset class="pmi-section-box">
			<legend>Account</legend>
			<Field id={`${id}-email`} label="Address" error={errors.email}>
				<input
					id={`${id}-email`}
					type="email"
					class={`pmi-input${errors.email ? ' pmi-is-invalid' : ''}`}
					value={form.email}
					autocomplete="username"
					placeholder="you@your-domain.org"
					aria-label="Purelymail address"
					aria-invalid={errors.email ? true : undefined}
					onInput={event => {
						onChange({email: event.currentTarget.value});
					}}
				/>
			</Field>
			<Field id={`${id}-name`} label="Name" hint="Shown to attendees as the organizer.">
				<input
					id={`${id}-name`}
					type="text"
					class="pmi-input"
					value={form.name}
					autocomplete="name"
					aria-label="Your name"
					aria-describedby={`${id}-name-hint`}
					onInput={event => {
						onChange({name: event.currentTarget.value});
					}}
				/>
			</Field>
			<Field
				id={`${id}-password`}
				label="App password"
				error={errors.password}
				hint={(
					<>
						<a href={appPasswordUrl} target="_blank" rel="noreferrer">Make an app password <Icon name="external" /></a>
						{' '}
						{appPasswordSteps} Use it instead of your main password.
					</>
				)}
			>
				<SecretInput
					id={`${id}-password`}
					label="App password"
					value={form.password}
					autocomplete="current-password"
					invalid={Boolean(errors.password)}
					describedBy={`${id}-password-hint`}
					onInput={password => {
						onChange({password});
					}}
				/>
			</Field>
			<Field id={`${id}-aliases`} label="Other addresses" error={errors.aliases} hint="Aliases of this mailbox, separated by commas. Answers to them count too.">
				<input
					id={`${id}-aliases`}
					type="text"
					class={`pmi-input${errors.aliases ? ' pmi-is-invalid' : ''}`}
					value={form.aliases}
					spellcheck={false}
					aria-label="Other addresses of this account"
					aria-describedby={`${id}-aliases-hint`}
					onInput={event => {
						onChange({aliases: event.currentTarget.value});
					}}
				/>
			</Field>
		</fieldset>
	);
}
