import type {JSX} from 'preact';
import type {Answer} from '@/lib/itip/index';
import {answerLabels} from '@/lib/plain-answers/record';
import type {PlainAnswer} from '@/lib/plain-answers/types';
import {Spinner} from './spinner';

type PlainAnswerListProps = {
	summary: string;
	answers: readonly PlainAnswer[];
	/** The answer whose button is being acted on, if any. */
	busyKey?: string | undefined;
	onRecord?: ((key: string, partstat: Answer) => void) | undefined;
	onDismiss?: ((key: string) => void) | undefined;
};

const choices: readonly Answer[] = ['ACCEPTED', 'TENTATIVE', 'DECLINED'];

/**
 * "Sam answered by e-mail: Yes, I'll be there", with one click to record it on the event (no mail is sent) or to put
 * the mail away. Shown on the event without expanding it: it asks for the user.
 */
export function PlainAnswerList({summary, answers, busyKey, onRecord, onDismiss}: PlainAnswerListProps): JSX.Element {
	return (
		<ul class="pmi-plain-answers" aria-label={`Answers by e-mail to ${summary}`}>
			{answers.map(answer => {
				const who = answer.attendee.name ?? answer.attendee.email;
				const busy = busyKey === answer.key;
				return (
					<li key={answer.key} class="pmi-plain-answer">
						<p class="pmi-plain-answer-text">
							<strong title={answer.attendee.email}>{who}</strong> answered by e-mail: <q>{answer.excerpt || '(no text)'}</q>
						</p>
						<div class="pmi-plain-answer-actions" role="group" aria-label={`Record ${who}'s answer`}>
							{busy ? <Spinner /> : null}
							{choices.map(partstat => (
								<button
									key={partstat}
									type="button"
									class="pmi-btn pmi-btn-secondary pmi-btn-small"
									disabled={busy || !onRecord}
									aria-label={`Record ${who} as ${answerLabels[partstat]} for ${summary}`}
									onClick={() => {
										onRecord?.(answer.key, partstat);
									}}
								>
									{answerLabels[partstat]}
								</button>
							))}
							<button
								type="button"
								class="pmi-link"
								disabled={busy || !onDismiss}
								aria-label={`Put away ${who}'s e-mail`}
								onClick={() => {
									onDismiss?.(answer.key);
								}}
							>
								Not an answer
							</button>
						</div>
					</li>
				);
			})}
		</ul>
	);
}
