// @vitest-environment happy-dom
import {afterEach, describe, expect, test} from 'vitest';
import {descriptionFromBody, findLeaveComposeControl, readComposeForm} from '../../../lib/roundcube/compose-form.ts';

/** The parts of Roundcube 1.6 Elastic's compose page that are read (ids as in the real page). */
function elasticCompose({to = '', cc = '', subject = '', body = ''} = {}): void {
	document.body.innerHTML = `
		<div id="taskmenu"><a class="mail" href="/?_task=mail">Mail</a></div>
		<ul class="menu toolbar listing iconized" id="toolbar-menu"></ul>
		<textarea name="_to" id="_to" style="position: absolute; opacity: 0; left: -5000px;"></textarea>
		<ul class="form-control recipient-input"><li class="input"><input type="text"></li></ul>
		<textarea name="_cc" id="_cc"></textarea>
		<input name="_subject" id="compose-subject" type="text">
		<textarea name="_message" id="composebody"></textarea>`;
	document.querySelector<HTMLTextAreaElement>('#_to')!.value = to;
	document.querySelector<HTMLTextAreaElement>('#_cc')!.value = cc;
	document.querySelector<HTMLInputElement>('#compose-subject')!.value = subject;
	document.querySelector<HTMLTextAreaElement>('#composebody')!.value = body;
}

afterEach(() => {
	document.body.innerHTML = '';
});

describe('readComposeForm', () => {
	test('reads To then Cc, Subject and the body without its signature', () => {
		elasticCompose({
			to: 'Alex Example <alex@sandbox.test>,sam@sandbox.test,',
			cc: 'Sam <SAM@sandbox.test>,"Doe, Jo" <jo@example.org>,',
			subject: '  Planning  ',
			body: 'Let us plan.  \nBring ideas.\n\n-- \nOrganizer\nSandbox Inc.',
		});
		expect(readComposeForm(document)).toEqual({
			recipients: [
				{email: 'alex@sandbox.test', name: 'Alex Example'},
				{email: 'sam@sandbox.test'},
				{email: 'jo@example.org', name: 'Doe, Jo'},
			],
			subject: 'Planning',
			body: 'Let us plan.\nBring ideas.',
		});
	});

	test('an empty form gives nothing', () => {
		elasticCompose();
		expect(readComposeForm(document)).toEqual({recipients: [], subject: '', body: ''});
	});

	test('a page without the fields gives nothing and does not throw', () => {
		expect(readComposeForm(document)).toEqual({recipients: [], subject: '', body: ''});
	});

	test('finds Roundcube\'s own Mail control to leave compose', () => {
		elasticCompose();
		expect(findLeaveComposeControl(document)?.getAttribute('href')).toBe('/?_task=mail');
	});
});

describe('descriptionFromBody', () => {
	test.each([
		['plain text', 'Hello', 'Hello'],
		['signature with the standard delimiter', 'Hello\n-- \nMe', 'Hello'],
		['signature delimiter without the space', 'Hello\n--\nMe', 'Hello'],
		['CRLF and trailing spaces', 'Hello  \r\nWorld \r\n\r\n', 'Hello\nWorld'],
		['a -- inside a line is text', 'A -- B', 'A -- B'],
		['only a signature', '-- \nMe', ''],
	])('%s', (_name, body, expected) => {
		expect(descriptionFromBody(body)).toBe(expected);
	});
});
