/**
 * What differs between the e2e test build and the build users get (issue 12, item 12).
 *
 * `npm run build:e2e` is `wxt build --mode e2e`, into `.output/chrome-mv3-e2e` and `.output/firefox-mv2-e2e`;
 * `npm run build`, `npm run zip` and the store packages are production. Vite writes the mode into the bundle as a
 * string literal, so in production `testBuild` is the constant false and Rollup drops every branch behind it: the
 * test marker and the open shadow roots exist in the e2e build only (tests/e2e/build.test.ts greps the output).
 */
export const testBuild: boolean = import.meta.env.MODE === 'e2e';

/**
 * The mode of the shadow roots our UI lives in inside the webmail (the composer, the invitation card). Closed: the
 * webmail page's scripts get no handle on what the user types or on our buttons. The e2e build leaves them open so
 * that Playwright's and Puppeteer's locators, which do not enter closed roots, can drive them.
 */
export const pageUiShadowMode: 'open' | 'closed' = testBuild ? 'open' : 'closed';
