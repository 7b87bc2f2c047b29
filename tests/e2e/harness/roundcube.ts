/** A person's steps in Roundcube's Elastic skin. */
import type {Page} from 'playwright-core';

export async function logIn(page: Page, baseUrl: string, user: string, password: string): Promise<void> {
	await page.goto(baseUrl);
	await page.fill('#rcmloginuser', user);
	await page.fill('#rcmloginpwd', password);
	await Promise.all([
		page.waitForURL(/_task=mail/),
		page.click('#rcmloginsubmit'),
	]);
}

export async function openCompose(page: Page, baseUrl: string): Promise<void> {
	await page.goto(new URL('?_task=mail&_action=compose', baseUrl).href);
	await page.waitForSelector('#compose-subject');
}
