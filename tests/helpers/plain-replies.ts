/**
 * Plain-text answers to an invitation in the shapes real mail clients write them, as test data: what the person typed
 * on top, then the client's own quoting of the invitation. `said` is what a reader sees as the answer.
 * Shapes: Gmail web ("On …, Name <addr> wrote:" with the address wrapped onto the next line, then "> " lines),
 * Outlook desktop ("-----Original Message-----" and a From/Sent/To/Subject block), Outlook on the web (a rule of
 * underscores, then From/Sent/To/Subject), Apple Mail on iPhone ("Sent from my iPhone", then "> On … wrote:").
 */
/** `said`: the visible text (line ends LF); `excerpt`: its first lines on one line, as the popup shows them. */
export type ReplyShape = {client: string; body: string; said: string; excerpt: string};

export function replyShapes(invitation: {subject: string; organizer: string; organizerName: string}): ReplyShape[] {
	const {subject, organizer, organizerName} = invitation;
	return [
		{
			client: 'Gmail',
			said: 'Yes, I\'ll be there!\n\nSam',
			excerpt: 'Yes, I\'ll be there! Sam',
			body: [
				'Yes, I\'ll be there!', '', 'Sam', '',
				`On Tue, Dec 1, 2026 at 10:00 AM ${organizerName} <`, `${organizer}> wrote:`, '',
				`> ${organizerName} invites you to ${subject}`, '> When: Tuesday 1 December 2026, 16:00 – 17:00', '>', '> Join: accept or decline in your calendar.', '',
			].join('\r\n'),
		},
		{
			client: 'Outlook desktop',
			said: 'Sorry, I can\'t make it that day.',
			excerpt: 'Sorry, I can\'t make it that day.',
			body: [
				'Sorry, I can\'t make it that day.', '', '-----Original Message-----', `From: ${organizerName} <${organizer}>`,
				'Sent: Tuesday, December 1, 2026 10:00 AM', 'To: Sam <sam@sandbox.test>', `Subject: ${subject}`, '',
				`${organizerName} invites you to ${subject}`, '',
			].join('\r\n'),
		},
		{
			client: 'Outlook on the web',
			said: 'Maybe, it depends on my flight.',
			excerpt: 'Maybe, it depends on my flight.',
			body: [
				'Maybe, it depends on my flight.', '', '________________________________', `From: ${organizerName} <${organizer}>`,
				'Sent: Tuesday, December 1, 2026 10:00', 'To: Sam', `Subject: ${subject}`, '', `${organizerName} invites you to ${subject}`, '',
			].join('\r\n'),
		},
		{
			client: 'Apple Mail (iPhone)',
			said: 'Yes',
			excerpt: 'Yes',
			body: [
				'Yes', '', 'Sent from my iPhone', '', `> On 1 Dec 2026, at 10:00, ${organizerName} <${organizer}> wrote:`, '> ',
				`> ${organizerName} invites you to ${subject}`, '',
			].join('\r\n'),
		},
	];
}

/** A plain-text mail (no calendar) from `from` to `to`, answering `inReplyTo` when given. */
export function plainMail(options: {from: {name: string; email: string}; to: {name: string; email: string}; subject: string; messageId: string; inReplyTo?: string; body: string}): string {
	return [
		`From: ${options.from.name} <${options.from.email}>`,
		`To: ${options.to.name} <${options.to.email}>`,
		`Subject: ${options.subject}`,
		`Message-ID: ${options.messageId}`,
		...(options.inReplyTo ? [`In-Reply-To: ${options.inReplyTo}`, `References: ${options.inReplyTo}`] : []),
		`Date: ${new Date().toUTCString()}`,
		'MIME-Version: 1.0',
		'Content-Type: text/plain; charset="UTF-8"',
		'Content-Transfer-Encoding: quoted-printable',
		'',
		// Quoted-printable as clients send it: "=" escaped, lines kept short.
		options.body.replaceAll('=', '=3D'),
		'',
	].join('\r\n');
}
