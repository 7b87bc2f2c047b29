import type {JSX} from 'preact';
import type {ConnectionReport} from '@/lib/messaging';
import {connectionRows} from '@/lib/ui/options-form';
import {Icon} from './icon';

/** "Test connection": CalDAV, relay, IMAP and SMTP each with its own result, and what to do about a failure. */
export function ConnectionReportList({report}: {report: ConnectionReport}): JSX.Element {
	return (
		<ul class="pmi-report" aria-label="Connection test results">
			{connectionRows(report).map(({key, label, check}) => (
				<li key={key} class={`pmi-report-row ${check.ok ? 'pmi-report-ok' : 'pmi-report-failed'}`}>
					<Icon name={check.ok ? 'check' : 'close'} class="pmi-report-icon" />
					<div class="pmi-report-body">
						<div class="pmi-report-head">
							<strong>{label}</strong>
							<span class={`pmi-status ${check.ok ? 'pmi-status-accepted' : 'pmi-status-declined'}`}>{check.ok ? 'works' : 'failed'}</span>
						</div>
						{check.ok
							? (check.detail ? <p class="pmi-report-detail">{check.detail}</p> : null)
							: (
								<>
									<p class="pmi-report-detail">{check.error.message}</p>
									{check.error.action ? <p class="pmi-report-action">{check.error.action}</p> : null}
								</>
							)}
					</div>
				</li>
			))}
		</ul>
	);
}
