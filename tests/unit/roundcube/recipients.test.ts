import {describe, expect, test} from 'vitest';
import {parseRecipientList} from '../../../lib/roundcube/recipients.ts';

describe('parseRecipientList', () => {
	test.each([
		['empty', '', []],
		['only separators', ' , ;\n', []],
		['one bare address', 'alex@example.org', [{email: 'alex@example.org'}]],
		['Elastic chip text: name and address, then a bare one', 'Alex Example <alex@example.org>,sam@example.org,', [
			{email: 'alex@example.org', name: 'Alex Example'},
			{email: 'sam@example.org'},
		]],
		['spaces and semicolons as typed in Larry', ' alex@example.org ;  Sam <sam@example.org> ', [
			{email: 'alex@example.org'},
			{email: 'sam@example.org', name: 'Sam'},
		]],
		['a quoted name with a comma', '"Doe, Jo" <jo@example.org>, sam@example.org', [
			{email: 'jo@example.org', name: 'Doe, Jo'},
			{email: 'sam@example.org'},
		]],
		['an escaped quote in a quoted name', '"Jo \\"JJ\\" Doe" <jo@example.org>', [{email: 'jo@example.org', name: 'Jo "JJ" Doe'}]],
		['an unquoted name with a comma (split, then joined again)', 'Doe, Jo <jo@example.org>', [{email: 'jo@example.org', name: 'Doe, Jo'}]],
		['angle brackets only', '<alex@example.org>', [{email: 'alex@example.org'}]],
		['a name equal to the address is dropped', 'alex@example.org <alex@example.org>', [{email: 'alex@example.org'}]],
		['mailto: is taken off', 'Alex <mailto:alex@example.org>', [{email: 'alex@example.org', name: 'Alex'}]],
		['newlines separate (paste)', 'alex@example.org\nsam@example.org', [{email: 'alex@example.org'}, {email: 'sam@example.org'}]],
		['duplicates in any case are dropped, first kept', 'Alex <alex@example.org>, ALEX@example.org', [{email: 'alex@example.org', name: 'Alex'}]],
		['a word being typed is not a recipient', 'alex@example.org,sam', [{email: 'alex@example.org'}]],
		['a half-typed address is kept (the composer flags it)', 'alex@example.org,sam@exa', [{email: 'alex@example.org'}, {email: 'sam@exa'}]],
		['space-separated addresses keep the first', 'alex@example.org sam@example.org', [{email: 'alex@example.org'}]],
		['a comma inside angle brackets does not split', 'Odd <odd,one@example.org>', [{email: 'odd,one@example.org', name: 'Odd'}]],
	])('%s', (_name, text, expected) => {
		expect(parseRecipientList(text)).toEqual(expected);
	});
});
