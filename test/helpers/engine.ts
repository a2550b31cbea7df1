// The browser engine the suite runs in (SV_ENGINE, passed to the page by web-test-runner.config.mjs),
// and the one way a test is left out of an engine: named, with the reason, and counted as skipped.
// Every reason here is also in the README's "Engines" section.

export type Engine = 'chromium' | 'firefox' | 'webkit';

export const engine: Engine = (window as unknown as { __SV_TEST__: { engine?: Engine } }).__SV_TEST__.engine ?? 'chromium';

/** Why a test cannot run in an engine. */
export const NOT_IN_ENGINE = {
  /** The test reads the browser through Chromium's DevTools protocol (accessibility tree, touch input, process memory). */
  devtools: 'needs Chromium’s DevTools protocol',
  /** The test switches the page to a dark colour scheme, which web-test-runner does only through DevTools (or Playwright). */
  colorScheme: 'the test runner switches the colour scheme through DevTools only',
  /** The test holds Ctrl or Shift down while pressing a key; the runner's WebDriver launcher only presses or types. */
  heldKeys: 'the test runner holds no modifier keys down over WebDriver',
  /** The test collects garbage from the page (V8's --expose-gc). */
  gc: 'needs gc() in the page, which only V8 exposes to tests',
} as const;

/**
 * `it`, or, in the engines listed, a skipped test whose title names the engine and the reason.
 * @example onlyIn(['chromium'], NOT_IN_ENGINE.devtools)('exposes headings…', async () => { … });
 */
export function onlyIn(engines: readonly Engine[], reason: string): (title: string, fn: Mocha.Func | Mocha.AsyncFunc) => Mocha.Test {
  if (engines.includes(engine)) return (title, fn) => it(title, fn);
  return (title, fn) => it.skip(`${title} (not in ${engine}: ${reason})`, fn);
}
