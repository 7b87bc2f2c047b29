/** What the popup says about a mail sent for a change made in another calendar app. */
import type {ScheduleMessage} from '../itip/index.ts';

function people(count: number): string {
	return count === 1 ? '1 person' : `${count} people`;
}

const answerWords: Record<string, string> = {ACCEPTED: 'accepted', TENTATIVE: 'maybe', DECLINED: 'declined'};

/** "Sent the new time of Team sync to 3 people because it changed in another app". */
export function sentSentence(message: ScheduleMessage, summary: string): string {
	const title = summary || '(no title)';
	const to = people(message.recipients.length);
	switch (message.reason) {
		case 'new':
			return `Sent the invitation to ${title} to ${to} because it was made in another app`;
		case 'changed': {
			const what = message.changed?.some(field => field === 'time' || field === 'repeat') ? 'the new time' : (message.changed?.includes('location') ? 'the new place' : 'the change');
			return `Sent ${what} of ${title} to ${to} because it changed in another app`;
		}

		case 'details':
			return `Sent the new details of ${title} to ${to} because they changed in another app`;
		case 'added':
			return `Sent the invitation to ${title} to ${to} added in another app`;
		case 'removed':
			return `Told ${to} they are no longer invited to ${title}, as changed in another app`;
		case 'deleted':
			return `Sent the cancellation of ${title} to ${to} because it was deleted in another app`;
		case 'occurrence-deleted':
			return `Sent the cancellation of one occurrence of ${title} to ${to} because it was deleted in another app`;
		case 'answer':
			return `Sent your answer (${answerWords[message.answer ?? ''] ?? 'answered'}) to ${title}${message.recurrenceId ? ` for ${message.recurrenceId}` : ''} to the organizer because you answered in another app`;
	}
}
