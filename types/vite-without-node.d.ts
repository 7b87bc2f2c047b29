/**
 * Stand-in for `vite`'s types in the browser project (tsconfig.browser.json) only.
 *
 * WXT's own declarations (`defineBackground`, `wxt/testing`) import `vite` for its build-config types, and vite's
 * declarations reference `@types/node`; that would give every browser file Node's globals and `node:*` modules.
 * Browser code never touches vite's API, so an empty module keeps Node out and lets the compiler refuse
 * `import … from 'node:…'`, `process` and `Buffer` in lib/, components/ and entrypoints/.
 */
export {};
