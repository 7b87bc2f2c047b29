/**
 * Everything that differs between the two browsers the e2e tests drive, named in this one place. The tests and the
 * steps (webmail-steps.ts, options-steps.ts, popup-steps.ts) are written once against driver.ts; the adapters
 * (chromium.ts, firefox.ts) read what differs from here.
 */
import path from 'node:path';
import type {ManifestFamily} from '../../../../relay/native/locations.ts';
import {repoRoot} from '../../../sandbox/paths.ts';
import {extensionPath as chromeBuild} from '../browser.ts';

export type EngineName = 'chromium' | 'firefox';

export type EngineDifferences = {
	/** What the tests call it. */
	label: string;
	/** The Debian package and the executable it installs (scripts/debian-packages.txt; no browser download). */
	debianPackage: string;
	executable: string;
	/** The library that drives it, and over which protocol. */
	driver: string;
	/** The build WXT makes for it (npm run build). */
	buildFolder: string;
	/** The scheme of the extension's own pages. */
	extensionScheme: 'chrome-extension' | 'moz-extension';
	/**
	 * Where the background runs. Chromium (MV3): a service worker, evaluated in directly. Firefox (MV2): a background
	 * page, which WebDriver BiDi does not list; it is reached from one of the extension's pages through
	 * `runtime.getBackgroundPage()`.
	 */
	background: 'service worker' | 'background page';
	/** The toolbar button's API: MV3 `action`, MV2 `browserAction` (entrypoints/background.ts takes whichever exists). */
	toolbarButtonApi: 'action' | 'browserAction';
	/**
	 * How opening an extension page is waited for. Chromium reports its load as for any page. Firefox's remote agent
	 * only reaches moz-extension:// pages with `--remote-allow-system-access`, and then never reports the navigation's
	 * `load` to BiDi although the page renders: the wait is for the page's own content instead.
	 */
	extensionPageLoad: 'navigation event' | 'page content';
	/**
	 * Permission prompts. The manifest's permissions and host permissions are granted at install in both, without a
	 * prompt for an unpacked (Chromium) or temporary (Firefox) install; the optional ones (another webmail's origin,
	 * `scripting`) would each bring a prompt, which no journey here asks for.
	 */
	permissionPrompts: string;
	/**
	 * Which native-messaging host manifest the browser reads (for the relay it starts itself), and so where it looks:
	 * the relay's installer writes each family's manifest and knows each folder, per platform, in
	 * relay/native/locations.ts. The journeys here use the relay over HTTP and install no host.
	 */
	nativeMessagingFamily: ManifestFamily;
	/** How https://inbox.purelymail.com/ reaches the local TLS front (tls-front.ts) on its free port. */
	hostMapping: string;
	/** How the pages' time zone is set. */
	timeZone: 'emulated per context' | 'TZ of the browser process';
};

export const engines: Record<EngineName, EngineDifferences> = {
	chromium: {
		label: 'Chromium',
		debianPackage: 'chromium',
		executable: '/usr/bin/chromium',
		driver: 'playwright-core over the Chrome DevTools Protocol',
		buildFolder: chromeBuild,
		extensionScheme: 'chrome-extension',
		background: 'service worker',
		toolbarButtonApi: 'action',
		extensionPageLoad: 'navigation event',
		permissionPrompts: 'granted at load of the unpacked extension; optional ones prompt',
		nativeMessagingFamily: 'chromium',
		hostMapping: '--host-resolver-rules MAP <host>:443 127.0.0.1:<port>, and --ignore-certificate-errors',
		timeZone: 'emulated per context',
	},
	firefox: {
		label: 'Firefox',
		debianPackage: 'firefox-esr',
		// PMI_E2E_FIREFOX runs the journeys in another Firefox, e.g. an older ESR unpacked from its .deb (README).
		executable: process.env.PMI_E2E_FIREFOX ?? '/usr/bin/firefox-esr',
		driver: 'puppeteer-core over WebDriver BiDi',
		buildFolder: path.join(repoRoot, '.output/firefox-mv2-e2e'),
		extensionScheme: 'moz-extension',
		background: 'background page',
		toolbarButtonApi: 'browserAction',
		extensionPageLoad: 'page content',
		permissionPrompts: 'granted at the temporary install (browser.installExtension); optional ones prompt',
		nativeMessagingFamily: 'firefox',
		hostMapping: 'network.dns.localDomains (the host is 127.0.0.1), network.socket.forcePort 443=<port>, and acceptInsecureCerts',
		timeZone: 'TZ of the browser process',
	},
};

