import type {JSX} from 'preact';
import {useEffect, useRef} from 'preact/hooks';
import {sentSummary, type SendState} from '@/lib/ui/send-progress';
import {Icon} from './icon';
import {SendSteps} from './send-steps';

type SentPanelProps = {
	state: Extract<SendState, {phase: 'sent'}>;
	canDiscardDraft: boolean;
	onDiscardDraft(): void;
	onClose(): void;
};

/**
 * After a successful send: what happened, who did not get it, and the offer to discard the compose draft,
 * since the invitation went out as its own e-mail and the draft would otherwise be sent or kept by mistake.
 */
export function SentPanel({state, canDiscardDraft, onDiscardDraft, onClose}: SentPanelProps): JSX.Element {
	const firstButton = useRef<HTMLButtonElement>(null);
	useEffect(() => {
		firstButton.current?.focus();
	}, []);

	return (
		<div class="pmi-dialog-form">
			<div class="pmi-dialog-content">
				<div class={`pmi-box ${state.rejected.length > 0 ? 'pmi-box-warning' : 'pmi-box-success'}`} role="status">
					<Icon name={state.rejected.length > 0 ? 'alert' : 'check'} class="pmi-box-icon" />
					<div class="pmi-box-body">
						<p class="pmi-box-message">{sentSummary(state.accepted, state.rejected)}</p>
						<p class="pmi-box-action">Answers will show in the Purelymail Invites button of the browser’s toolbar.</p>
					</div>
				</div>
				<SendSteps steps={state.steps} />
				{canDiscardDraft
					? (
						<p class="pmi-question" id="pmi-discard-question">
							The invitation went out as its own e-mail. Discard this e-mail draft? Roundcube will ask once more if it has unsaved changes.
						</p>
					)
					: null}
			</div>
			<footer class="pmi-dialog-buttonpane">
				{canDiscardDraft
					? (
						<>
							<button ref={firstButton} type="button" class="pmi-btn pmi-btn-secondary" aria-label="Keep the e-mail draft and close" onClick={onClose}>Keep draft</button>
							<button type="button" class="pmi-btn pmi-btn-danger" aria-describedby="pmi-discard-question" aria-label="Discard the e-mail draft" onClick={onDiscardDraft}>
								<Icon name="trash" />
								<span>Discard draft</span>
							</button>
						</>
					)
					: <button ref={firstButton} type="button" class="pmi-btn pmi-btn-primary" aria-label="Close" onClick={onClose}>Close</button>}
			</footer>
		</div>
	);
}
