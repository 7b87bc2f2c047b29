import type {JSX} from 'preact';
import type {AgentView} from '@/lib/messaging';
import {formatRelative, type FormatOptions} from '@/lib/ui/format';
import {Icon} from './icon';

export type AgentStatusProps = {
	agent: AgentView;
	now: Date;
	format: FormatOptions;
};

/**
 * In place of the popup's status line while an always-on agent serves the mailbox (issue 17): which machine,
 * when it last checked, whether answers reach it at once (IMAP IDLE), why its last check failed, and the last
 * answers it applied. The extension runs no loop of its own meanwhile.
 */
export function AgentStatus({agent, now, format}: AgentStatusProps): JSX.Element {
	return (
		<section class="pmi-agent" aria-label="Always-on agent">
			<div class="pmi-statusbar" aria-live="polite">
				<Icon name="clock" />
				<span>The agent on <strong>{agent.host}</strong> checked {formatRelative(agent.checkedAt, now, format)}</span>
			</div>
			<p class="pmi-agent-note">
				{agent.watch === 'idle'
					? 'It applies answers seconds after they arrive, also while this browser is closed. This browser leaves the mailbox to it.'
					: 'It is reconnecting to the mailbox and checks again every few minutes meanwhile. This browser leaves the mailbox to it.'}
			</p>
			{agent.error ? <p class="pmi-feedback pmi-feedback-error" role="alert"><Icon name="alert" /><span>Its last check failed: {agent.error}</span></p> : null}
			{agent.answers.length > 0
				? (
					<ul class="pmi-agent-answers" aria-label="Answers the agent applied">
						{agent.answers.map(answer => (
							<li key={`${answer.at} ${answer.sentence}`}>
								<Icon name="check" />
								<span>{answer.sentence}</span>
								<span class="pmi-agent-when">{formatRelative(answer.at, now, format)}</span>
							</li>
						))}
					</ul>
				)
				: null}
		</section>
	);
}
