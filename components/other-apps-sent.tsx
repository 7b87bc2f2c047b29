import type {JSX} from 'preact';
import type {SentRecord} from '@/lib/scheduling/index';
import {formatRelative, type FormatOptions} from '@/lib/ui/format';
import {Icon} from './icon';

export type OtherAppsSentProps = {
	/** What calendar-app scheduling sent, newest first (lib/scheduling's log). */
	records: readonly SentRecord[];
	now: Date;
	format: FormatOptions;
};

/** "Sent the invitation to …" as it reads when the relay refused the mail for good. */
function notSent(sentence: string): string {
	return sentence.replace(/^Sent /, 'Could not send ').replace(/^Told /, 'Could not tell ');
}

/**
 * The popup's "Sent for changes in other apps": one line per mail sent because a meeting changed in another calendar
 * app ("Sent the new time of Team sync to 3 people because it changed in another app"), when, and who the mail
 * server refused. Nothing when nothing was sent.
 */
export function OtherAppsSent({records, now, format}: OtherAppsSentProps): JSX.Element | null {
	if (records.length === 0) {
		return null;
	}

	return (
		<section class="pmi-section pmi-section-other-apps" aria-labelledby="pmi-other-apps-title">
			<h2 class="pmi-section-title" id="pmi-other-apps-title">
				<Icon name="send" />
				<span>Sent for changes in other apps</span>
			</h2>
			<ul class="pmi-list">
				{records.map(record => (
					<li key={record.id} class="pmi-other-apps-item">
						<p class="pmi-other-apps-sentence">{record.error ? notSent(record.sentence) : record.sentence}</p>
						<p class="pmi-other-apps-meta">
							{formatRelative(record.at, now, format)}
							{record.error ? ` · ${record.error}` : null}
							{record.rejected.length > 0 ? ` · Refused by the mail server: ${record.rejected.map(rejection => rejection.address).join(', ')}` : null}
						</p>
					</li>
				))}
			</ul>
		</section>
	);
}
