/**
 * The edit page: the invite composer, prefilled from the event as it was sent, in an extension page of its own (no
 * webmail tab needed). Before sending it says who will be told what, from lib/itip's buildUpdate run here on the
 * event as stored now; sending goes through the background (`updateEvent`), which runs it again on a fresh read.
 */
import type {JSX} from 'preact';
import {useEffect, useMemo, useState} from 'preact/hooks';
import {ErrorBox} from '@/components/error-box';
import {InviteComposer} from '@/components/invite-composer';
import {Spinner} from '@/components/spinner';
import {buildUpdate} from '@/lib/itip';
import {onMessage, sendMessage, type EditContext, type InviteDraft} from '@/lib/messaging';
import {toInviteDraft, type ComposerForm} from '@/lib/ui/composer-form';
import {changesFromDraft, describeUpdate, formFromSpec} from '@/lib/ui/edit-form';
import {describeOccurrenceChange, occurrenceChangesFromDraft, occurrenceForm} from '@/lib/ui/occurrence-form';
import {mergeStep, stateFromResult, stateFromThrown, type SendState} from '@/lib/ui/send-progress';
import {browserTimeZone, supportedTimeZones, timeZoneChoices} from '@/lib/ui/time-zones';

function pageTheme(): 'light' | 'dark' {
	return globalThis.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

/**
 * `search`: the page's query, `?uid=…` and, to change only one occurrence (its original start, as the popup lists
 * it) rather than the whole event, `&occurrence=…`.
 */
export function EditContainer({search}: {search: string}): JSX.Element {
	const parameters = new URLSearchParams(search);
	const uid = parameters.get('uid') ?? '';
	const occurrence = parameters.get('occurrence') ?? undefined;
	const [context, setContext] = useState<EditContext | undefined>();
	const [send, setSend] = useState<SendState>({phase: 'idle'});
	const now = useMemo(() => new Date(), []);
	const zone = browserTimeZone();

	useEffect(() => {
		sendMessage('getEditContext', {uid}).then(setContext, (error: unknown) => {
			setContext({ok: false, error: {code: 'unknown', message: error instanceof Error ? error.message : String(error)}});
		});
		return onMessage('inviteProgress', ({data}) => {
			setSend(current => current.phase === 'sending' ? {phase: 'sending', steps: mergeStep(current.steps, data)} : current);
		});
	}, [uid]);

	if (!context) {
		return <div class={`pmi pmi-theme-${pageTheme()}`}><p class="pmi-loading"><Spinner /> Loading the event…</p></div>;
	}

	if (!context.ok) {
		return <div class={`pmi pmi-theme-${pageTheme()}`}><ErrorBox title="This event cannot be edited" error={context.error} /></div>;
	}

	const {spec, stored} = context;
	const names = new Map(spec.attendees.map(attendee => [attendee.email.toLowerCase(), attendee.name ?? attendee.email]));
	const describe = (form: ComposerForm): string | undefined => {
		const draft = toInviteDraft(form);
		if (!draft.ok) {
			return undefined;
		}

		if (occurrence !== undefined) {
			return describeOccurrenceChange(spec, occurrenceChangesFromDraft(spec, occurrence, draft.draft), draft.draft, names);
		}

		const changes = changesFromDraft(spec, draft.draft);
		for (const attendee of changes.addAttendees ?? []) {
			names.set(attendee.email.toLowerCase(), attendee.name ?? attendee.email);
		}

		try {
			return describeUpdate(buildUpdate(stored, changes), changes, names);
		} catch (error) {
			return error instanceof Error ? error.message : String(error);
		}
	};

	const onSend = (draft: InviteDraft): void => {
		setSend({phase: 'sending', steps: []});
		const sent = occurrence === undefined
			? sendMessage('updateEvent', {uid, changes: changesFromDraft(spec, draft)})
			: sendMessage('updateOccurrence', {uid, changes: occurrenceChangesFromDraft(spec, occurrence, draft)});
		sent.then(result => {
			setSend(current => stateFromResult(current.phase === 'sending' ? current.steps : [], result));
		}, (error: unknown) => {
			setSend(current => stateFromThrown(current.phase === 'sending' ? current.steps : [], error));
		});
	};

	return (
		<InviteComposer
			mode={occurrence === undefined ? 'edit' : 'occurrence'}
			initial={occurrence === undefined ? formFromSpec(spec) : occurrenceForm(spec, occurrence)}
			organizer={context.organizer}
			configured
			zones={timeZoneChoices(supportedTimeZones(), [zone, spec.timeZone])}
			browserZone={zone}
			now={now}
			send={send}
			theme={pageTheme()}
			canDiscardDraft={false}
			describe={describe}
			onSend={onSend}
			onClose={() => {
				window.close();
			}}
			onDiscardDraft={() => undefined}
			onOpenOptions={() => {
				void sendMessage('openOptions', undefined);
			}}
		/>
	);
}
