import type {JSX} from 'preact';
import type {SendStep} from '@/lib/messaging';
import {Icon} from './icon';
import {Spinner} from './spinner';

const stepNames: Record<SendStep['step'], string> = {
	calendar: 'Calendar',
	mail: 'Mail',
};

/** Each step of sending as it happens: working (spinner), done (tick) or failed (cross), with the background's words. */
export function SendSteps({steps}: {steps: readonly SendStep[]}): JSX.Element | null {
	if (steps.length === 0) {
		return null;
	}

	return (
		<ol class="pmi-steps" aria-label="Progress" aria-live="polite">
			{steps.map(step => (
				<li key={step.step} class={`pmi-step pmi-step-${step.state}`}>
					{step.state === 'working' ? <Spinner /> : <Icon name={step.state === 'done' ? 'check' : 'close'} class="pmi-step-icon" />}
					<span class="pmi-step-name">{stepNames[step.step]}</span>
					<span class="pmi-step-detail">{step.detail}</span>
				</li>
			))}
		</ol>
	);
}
