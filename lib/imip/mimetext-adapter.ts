/**
 * The one adapter between mimetext and iMIP (RFC 6047 §2.4).
 *
 * Why: mimetext's `MIMEMessage.asRaw()` lays out one of four fixed trees, and `addMessage()` accepts only
 * text/plain and text/html, so its public API cannot put a `text/calendar; method=…` part inside
 * `multipart/alternative`, which is where Gmail, Apple Mail, Outlook and Thunderbird look for it.
 * Its header writer also B-encodes every display name and subject as one unfolded word, which breaks
 * the 76-character line limit for any subject of normal length.
 *
 * How, using only mimetext's exported classes, as they are meant to be extended (no fork, nothing patched):
 * - `EncodedHeaders` subclasses `MIMEMessageHeader` and declares its own `fields` list, exactly the way
 *   mimetext's own `MIMEMessageContentHeader` does; the dump functions fold and RFC 2047-encode (encoding.ts).
 * - `CalendarMimeMessage` subclasses `MIMEMessage`. Text bodies and attachments still go in through the
 *   public `addMessage()`/`addAttachment()`; `setCalendar()` adds the calendar as a `MIMEMessageContent`;
 *   and `asRaw()` is overridden to lay out
 *   `multipart/mixed > [multipart/alternative > [text/plain, text/html?, text/calendar], attachments…]`,
 *   every entity (the multiparts included) being a `MIMEMessageContent` dumped by mimetext itself.
 *
 * Imported from `mimetext/browser`: the default (node) entry pulls in `node:os` and writes `os.EOL` line
 * ends (LF on Linux), where MIME needs CRLF; the browser entry has neither problem and runs in Node too.
 */
import {
	MIMEMessage,
	MIMEMessageContent,
	MIMEMessageHeader,
	Mailbox,
	type EnvironmentContext,
	type HeaderField,
} from 'mimetext/browser';
import {encodeBase64Text, encodeMailboxList, encodeUnstructured, formatMailDate} from './encoding.ts';

const crlf = '\r\n';

/** What mimetext calls its environment: how to base64 and which line end to write. Ours: CRLF everywhere. */
const environment: EnvironmentContext = {
	toBase64: (data: string): string => encodeBase64Text(data).replaceAll(crlf, ''),
	toBase64WebSafe: (data: string): string => encodeBase64Text(data).replaceAll(crlf, '').replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, ''),
	eol: crlf,
	validateContentType: (value: string): string | false => value.length > 0 ? value : false,
};

function randomHex(bytes: number): string {
	return [...crypto.getRandomValues(new Uint8Array(bytes))].map(byte => byte.toString(16).padStart(2, '0')).join('');
}

function isMailbox(value: unknown): value is Mailbox {
	return value instanceof Mailbox;
}

function isMailboxes(value: unknown): boolean {
	return isMailbox(value) || (Array.isArray(value) && value.length > 0 && value.every(item => isMailbox(item)));
}

function mailboxList(value: unknown, headerName: string): string {
	const list: unknown[] = Array.isArray(value) ? value : [value];
	const mailboxes = list.filter(item => isMailbox(item)).map(item => ({name: item.name, address: item.addr}));
	return encodeMailboxList(mailboxes, `${headerName}: `.length);
}

/** mimetext's top-level header list with folding RFC 2047 dumps; same names, order and generators as its own. */
class EncodedHeaders extends MIMEMessageHeader {
	override fields: HeaderField[] = [
		{name: 'Date', generator: () => formatMailDate(new Date())},
		{name: 'From', required: true, validate: isMailbox, dump: value => mailboxList(value, 'From')},
		{name: 'To', validate: isMailboxes, dump: value => mailboxList(value, 'To')},
		{name: 'Cc', validate: isMailboxes, dump: value => mailboxList(value, 'Cc')},
		{
			name: 'Message-ID',
			// On the sender's domain, as RFC 5322 §3.6.4 suggests, so the id is unique and says who made it.
			generator: () => {
				const from = this.get('From');
				const domain = isMailbox(from) ? from.getAddrDomain() : 'localhost';
				return `<${randomHex(16)}@${domain}>`;
			},
		},
		{name: 'Subject', required: true, dump: value => typeof value === 'string' ? encodeUnstructured(value, 'Subject: '.length) : ''},
		{name: 'MIME-Version', generator: () => '1.0'},
	];
}

/** A multipart entity as a `MIMEMessageContent`: the boundary goes on its own header line to stay under 76 characters. */
function multipart(subtype: 'mixed' | 'alternative', boundary: string, parts: readonly MIMEMessageContent[]): MIMEMessageContent {
	const body = parts.map(part => `--${boundary}${crlf}${part.dump()}${crlf}`).join('') + `--${boundary}--`;
	return new MIMEMessageContent(environment, body, {'Content-Type': `multipart/${subtype};${crlf} boundary="${boundary}"`});
}

/** A mimetext message that can carry a text/calendar alternative (see the comment at the top of this file). */
export class CalendarMimeMessage extends MIMEMessage {
	override headers: MIMEMessageHeader = new EncodedHeaders(this.envctx);
	private calendar: MIMEMessageContent | undefined;

	constructor() {
		super(environment);
	}

	/**
	 * Boundaries containing "=_", which can occur in neither quoted-printable nor base64 text,
	 * plus 96 random bits so a 7bit part cannot contain them by chance.
	 */
	override generateBoundaries(): void {
		this.boundaries = {mixed: `=_pmi_${randomHex(12)}`, alt: `=_pmi_${randomHex(12)}`, related: `=_pmi_${randomHex(12)}`};
	}

	/**
	 * The iTIP part (RFC 6047 §2.4), written last among the alternatives.
	 * @param data The calendar, already transfer-encoded as `encoding` says.
	 */
	setCalendar(data: string, method: string, encoding: '7bit' | 'quoted-printable'): MIMEMessageContent {
		this.calendar = new MIMEMessageContent(this.envctx, data, {
			'Content-Type': `text/calendar; charset=UTF-8; method=${method}`,
			'Content-Transfer-Encoding': encoding,
		});
		return this.calendar;
	}

	override asRaw(): string {
		const plain = this.getMessageByType('text/plain');
		if (!this.calendar || !plain) {
			return super.asRaw();
		}

		const alternatives = [plain, this.getMessageByType('text/html'), this.calendar].filter(part => part !== undefined);
		const attachments = this.getAttachments();
		const everyPart = [...alternatives, ...attachments];
		// Practically never loops: only if a 7bit part happens to contain a freshly drawn boundary.
		while (everyPart.some(part => part.data.includes(this.boundaries.alt) || part.data.includes(this.boundaries.mixed))) {
			this.generateBoundaries();
		}

		const alternative = multipart('alternative', this.boundaries.alt, alternatives);
		const body = attachments.length === 0 ? alternative : multipart('mixed', this.boundaries.mixed, [alternative, ...attachments]);
		return `${this.headers.dump()}${crlf}${body.dump()}${crlf}`;
	}
}
