import {describe, expect, test, vi} from 'vitest';
import {requestWebmailAccess, webmailFeedback} from '../../../lib/ui/webmail-access.ts';

describe('requestWebmailAccess', () => {
	test('asks for every listed origin and scripting in one request', async () => {
		const request = vi.fn(async () => true);
		expect(await requestWebmailAccess(['https://mail.example.org', 'https://webmail.example.com:8443'], request)).toBe(true);
		expect(request.mock.calls).toEqual([[{origins: ['https://mail.example.org/*', 'https://webmail.example.com/*'], permissions: ['scripting']}]]);
	});

	test('asks for nothing without other webmails', async () => {
		const request = vi.fn(async () => true);
		expect(await requestWebmailAccess([], request)).toBe(true);
		expect(request).not.toHaveBeenCalled();
	});

	test('a refusal, or a request the browser rejects, is false', async () => {
		expect(await requestWebmailAccess(['https://mail.example.org'], async () => false)).toBe(false);
		expect(await requestWebmailAccess(['https://mail.example.org'], async () => {
			throw new Error('Only permissions specified in the manifest may be requested.');
		})).toBe(false);
	});
});

describe('webmailFeedback', () => {
	test('nothing to add when every origin has the content script', () => {
		expect(webmailFeedback({registered: ['https://mail.example.org/*'], notGranted: [], noScripting: false})).toBeUndefined();
	});

	test('a refused origin is named', () => {
		expect(webmailFeedback({registered: [], notGranted: ['https://mail.example.org'], noScripting: false})).toEqual(expect.objectContaining({
			kind: 'error',
			text: expect.stringContaining('did not allow access to https://mail.example.org') as unknown,
		}));
	});

	test('a refused scripting permission is a refusal too', () => {
		expect(webmailFeedback({registered: [], notGranted: [], noScripting: true})?.kind).toBe('error');
	});

	test('a failed registration says what the browser said', () => {
		const feedback = webmailFeedback({registered: [], notGranted: [], noScripting: false, failed: 'Duplicate script ID \'extra-webmail\''});
		expect(feedback?.kind).toBe('error');
		expect(feedback?.text).toContain('Duplicate script ID');
	});
});
