/** What "Apply anyway" overrides, named on the button, so the user knows exactly which check they waive. */
import type {ReviewCheck} from '../itip/index.ts';

const labels: Record<ReviewCheck, string> = {
	uninvited: 'Add them and apply',
	sender: 'Apply though not sent by them',
	authentication: 'Apply though the mail failed its check',
	'sequence-ahead': 'Apply though it answers a version that does not exist',
	'dtstamp-ahead': 'Apply though it is dated in the future',
	delegation: 'Apply this delegation',
};

/** The button's text for a review of `check`; a review without one (the server refused the write) is a retry. */
export function applyAnywayLabel(check: ReviewCheck | undefined): string {
	return check ? labels[check] : 'Try again';
}
