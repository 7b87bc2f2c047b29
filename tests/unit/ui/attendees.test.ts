import {describe, expect, test} from 'vitest';
import {addressProblem, isEmailAddress} from '../../../lib/address.ts';
import {mergeAttendees, parseAttendeeInput, removeAttendee, toggleOptional} from '../../../lib/ui/attendees.ts';

describe('attendee chips', () => {
	test.each([
		['alex@example.org', true, undefined],
		['  alex@example.org ', true, undefined],
		['alex', false, /no @/],
		['alex@example', false, /not a complete/],
		['alex@@example.org', false, /not a complete/],
		['Alex <alex@example.org>', false, /not a complete/],
		['', false, /Type an e-mail address/],
	])('%j valid: %s', (email, valid, problem) => {
		expect(isEmailAddress(email)).toBe(valid);
		if (problem) {
			expect(addressProblem(email)).toMatch(problem);
		} else {
			expect(addressProblem(email)).toBeUndefined();
		}
	});

	test('merging skips addresses already there and the organizer, in any case', () => {
		const existing = [{email: 'alex@example.org', optional: false}];
		expect(mergeAttendees(existing, [
			{email: 'ALEX@example.org'},
			{email: 'sam@example.org', name: 'Sam'},
			{email: 'Me@Example.org'},
			{email: 'kim@example.org', optional: true},
			{email: 'sam@example.org'},
		], ['me@example.org'])).toEqual([
			{email: 'alex@example.org', optional: false},
			{email: 'sam@example.org', name: 'Sam', optional: false},
			{email: 'kim@example.org', optional: true},
		]);
	});

	test.each([
		['one address', 'alex@example.org', {people: [{email: 'alex@example.org'}], rest: ''}],
		['a pasted list', 'Alex <alex@example.org>, sam@example.org;', {people: [{email: 'alex@example.org', name: 'Alex'}, {email: 'sam@example.org'}], rest: ''}],
		['a name still being typed stays', 'alex@example.org, Sam', {people: [{email: 'alex@example.org'}], rest: 'Sam'}],
		['an invalid address becomes a chip to fix', 'alex@', {people: [{email: 'alex@'}], rest: ''}],
		['blank', '   ', {people: [], rest: ''}],
	])('typing: %s', (_name, text, expected) => {
		expect(parseAttendeeInput(text)).toEqual(expected);
	});

	test('toggle and remove', () => {
		const chips = [{email: 'a@x.org', optional: false}, {email: 'b@x.org', optional: true}];
		expect(toggleOptional(chips, 'a@x.org')).toEqual([{email: 'a@x.org', optional: true}, {email: 'b@x.org', optional: true}]);
		expect(removeAttendee(chips, 'b@x.org')).toEqual([{email: 'a@x.org', optional: false}]);
	});
});
