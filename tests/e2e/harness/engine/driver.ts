/**
 * What the e2e tests ask of a browser, whichever it is: the journeys are written once against these two types, and
 * chromium.ts (playwright-core) and firefox.ts (puppeteer-core) implement them.
 *
 * Selectors are CSS. ` >>> ` steps into an element's open shadow root (the invite composer lives in one):
 * `purelymail-invites-composer >>> [aria-label="Title"]`.
 */
import type {EngineName} from './differences.ts';

export type WaitOptions = {timeout?: number};

export type E2ePage = {
	/** Goes to a web page and waits for its `load`. */
	goto(url: string): Promise<void>;
	/** The page's address now. */
	url(): string;
	setViewport(width: number, height: number): Promise<void>;
	/** Clicks the element once it is there and visible. */
	click(selector: string): Promise<void>;
	/** Replaces a field's value as typing would (input events included). */
	fill(selector: string, value: string): Promise<void>;
	/** Picks an option of a select by its value. */
	select(selector: string, value: string): Promise<void>;
	/** Types into whatever has the focus, key by key. */
	type(text: string): Promise<void>;
	/** A field's value, once the field is there. */
	value(selector: string): Promise<string>;
	/** An element's text, once it is there. */
	text(selector: string): Promise<string>;
	/** How many elements match now (no wait). */
	count(selector: string): Promise<number>;
	/** Waits until an element matches: in the DOM (`attached`, the default) or also visible. */
	waitFor(selector: string, options?: WaitOptions & {visible?: boolean}): Promise<void>;
	/** Waits until the page has had no network request for half a second (its own ajax calls are over). */
	waitForNetworkIdle(): Promise<void>;
	/** Waits until `predicate(arg)`, run in the page, is true. */
	waitUntil<A>(predicate: (arg: A) => boolean, arg: A, options?: WaitOptions): Promise<void>;
	/** Runs `fn(arg)` in the page and returns its (serializable) result. */
	evaluate<A, R>(fn: (arg: A) => R | Promise<R>, arg: A): Promise<R>;
	/** Saves a PNG: the viewport, or the whole page. */
	screenshot(file: string, options?: {fullPage?: boolean}): Promise<void>;
	isClosed(): boolean;
	close(): Promise<void>;
};

export type E2eBrowser = {
	engine: EngineName;
	/** A new tab. */
	newPage(): Promise<E2ePage>;
	/** The URL of one of the extension's own pages, e.g. `popup.html`. */
	extensionUrl(file: string): string;
	/**
	 * Opens one of the extension's pages in a new tab at the given size and waits until `readySelector` is in it
	 * (what "loaded" means differs between the engines: differences.ts).
	 */
	openExtensionPage(file: string, readySelector: string, viewport: {width: number; height: number}): Promise<E2ePage>;
	/** The extension's manifest, as its background (service worker or background page) reads it. */
	manifestSeenByBackground(): Promise<{name: string; manifest_version: number}>;
	/** Closes the browser and removes its profile. */
	close(): Promise<void>;
};

export type E2eLaunchOptions = {
	/** Host names whose port 443 goes to a loopback port (the TLS front): the content script's real match patterns. */
	hostMap?: Record<string, number>;
	/** Public-key hashes of certificates to trust (the TLS front's `spkiHash`); Firefox accepts any with acceptInsecureCerts. */
	trustedKeys?: string[];
	/** The pages' time zone (IANA), e.g. 'Europe/Berlin'. */
	timezoneId?: string;
};
