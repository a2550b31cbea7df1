// Flags for every headless Chromium the project starts: web-test-runner (web-test-runner.config.mjs),
// the Node-side browser suites (test/e2e/support.ts) and the bench (bench/browser.ts). One list, so
// the tests and the bench measure the same browser; callers append their own extra flags.

/** No sandbox (containers and CI run without user namespaces), no GPU, no background traffic, no first-run UI. */
export const CHROMIUM_FLAGS = Object.freeze([
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
]);
