/** Where the popup says what came of recording a plain-mail answer. */
import type {PopupState} from '../messaging.ts';

/** The event a plain-mail answer is listed under (its feedback shows there, since the answer leaves the list), or the key itself. */
export function eventOfPlainAnswer(state: PopupState | null, key: string): string {
	return state?.events.find(event => event.plainAnswers?.some(answer => answer.key === key))?.uid ?? key;
}
