import type {JSX} from 'preact';
import type {Answer} from '@/lib/itip/index';
import type {InvitationView} from '@/lib/invitations/views';
import type {ActionFeedback} from '@/lib/ui/action-feedback';
import {formatEventWhen, type FormatOptions} from '@/lib/ui/format';
import {FeedbackLine} from './feedback-line';
import {Spinner} from './spinner';

type InvitationItemProps = {
	invitation: InvitationView;
	format: FormatOptions;
	/** The answer being sent, if any. */
	busy?: Answer | undefined;
	feedback?: ActionFeedback | undefined;
	onAnswer(uid: string, answer: Answer): void;
};

const buttons: Array<{answer: Answer; text: string}> = [
	{answer: 'ACCEPTED', text: 'Accept'},
	{answer: 'TENTATIVE', text: 'Maybe'},
	{answer: 'DECLINED', text: 'Decline'},
];

/**
 * One invitation for the user: what, when (in the viewer's zone), who invites, whether it is in the calendar, and
 * Accept / Maybe / Decline (lib/attendee's answer flow: the copy with the answer to CalDAV, then the REPLY). A
 * cancelled one says so, without buttons.
 */
export function InvitationItem({invitation, format, busy, feedback, onAnswer}: InvitationItemProps): JSX.Element {
	const when = formatEventWhen({...invitation, timeZone: format.timeZone}, format).text;
	const organizer = invitation.organizer.name ? `${invitation.organizer.name} <${invitation.organizer.email}>` : invitation.organizer.email;
	return (
		<li class={`pmi-invitation${invitation.cancelled ? ' pmi-invitation-cancelled' : ''}`} data-uid={invitation.uid}>
			<div class="pmi-review-head">
				<span class="pmi-invitation-summary">{invitation.summary || '(no title)'}</span>
				{invitation.wasInJunk ? <span class="pmi-chip pmi-chip-warning" title="Your mail provider put this invitation in Junk">was in Junk</span> : null}
			</div>
			<p class="pmi-invitation-when">{when}</p>
			<p class="pmi-invitation-organizer">From {organizer}</p>
			<p class="pmi-invitation-state">
				{invitation.cancelled
					? 'Cancelled by the organizer.'
					: (invitation.listed ? 'Not in your calendar yet: answering adds it.' : 'In your calendar, not answered yet.')}
				{' '}
				<a href={invitation.webmailUrl} target="_blank" rel="noreferrer">Open the mail</a>
			</p>
			{invitation.cancelled
				? null
				: (
					<div class="pmi-review-buttons">
						{buttons.map(({answer, text}) => (
							<button
								key={answer}
								type="button"
								class={`pmi-btn ${answer === 'ACCEPTED' ? 'pmi-btn-primary' : 'pmi-btn-secondary'} pmi-btn-small`}
								disabled={busy !== undefined}
								aria-label={`${text}: ${invitation.summary}`}
								onClick={() => {
									onAnswer(invitation.uid, answer);
								}}
							>
								{busy === answer ? <Spinner class="pmi-spinner-on-primary" /> : null}
								{text}
							</button>
						))}
					</div>
				)}
			{feedback ? <FeedbackLine feedback={feedback} /> : null}
		</li>
	);
}
