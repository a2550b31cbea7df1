// The browser engines the browser suite runs in (web-test-runner.config.mjs, chosen by SV_ENGINE):
// Chromium runs every test file; Firefox and WebKit run the files in ENGINE_FILES, the part where
// engines differ for a reader (loading, tokens and renewal, the password dialog, host pages, the
// reader's controls, accessibility), which keeps the whole suite well within CI's time. Each engine
// is Debian's build, driven without downloading a browser:
// - Firefox (`firefox-esr`) through puppeteer-core over WebDriver BiDi;
// - WebKit (WebKitGTK's MiniBrowser) through `WebKitWebDriver` (`webkit2gtk-driver`) with
//   webdriverio, on a virtual display (`xvfb-run`), since MiniBrowser has no headless mode.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { chromeLauncher } from '@web/test-runner-chrome';
import { webdriverLauncher } from '@web/test-runner-webdriver';
import { CHROMIUM_FLAGS } from './chromium-flags.mjs';

/** @typedef {'chromium' | 'firefox' | 'webkit'} Engine */

/** @type {readonly Engine[]} */
export const ENGINES = Object.freeze(['chromium', 'firefox', 'webkit']);

/** The test files Firefox and WebKit run (globs, as web-test-runner takes them). */
export const ENGINE_FILES = Object.freeze([
  'test/loading.test.ts',
  'test/first-token.test.ts',
  'test/renewal.test.ts',
  'test/password.test.ts',
  'test/reader.test.ts',
  'test/token/**/*.test.ts',
  'test/host/**/*.test.ts',
  'test/a11y/**/*.test.ts',
  'test/pdf/canvas-budget.test.ts',
]);

/** @returns {Engine} */
export function engineFromEnv(value = process.env.SV_ENGINE) {
  const engine = (value ?? 'chromium').toLowerCase();
  if (!ENGINES.includes(engine)) throw new Error(`SV_ENGINE=${value}: one of ${ENGINES.join(', ')}`);
  return /** @type {Engine} */ (engine);
}

const FIREFOX_PATH = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';
const WEBKIT_DRIVER_PATH = process.env.WEBKIT_DRIVER_PATH ?? '/usr/bin/WebKitWebDriver';
const MINIBROWSER_PATH = process.env.MINIBROWSER_PATH ?? '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';

/**
 * `SV_VIEWPORT=WxH` (for example 1920x1080) opens the test pages at that size instead of the
 * launcher's fixed 800×600 (Chromium and Firefox), to try the suite as on a machine whose window
 * is not CI's. Unset, the launcher's size.
 * @returns {{ width: number, height: number } | undefined}
 */
export function viewportFromEnv(value = process.env.SV_VIEWPORT) {
  if (!value) return undefined;
  const size = /^(\d+)x(\d+)$/.exec(value);
  if (!size) throw new Error(`SV_VIEWPORT=${value}: WIDTHxHEIGHT, for example 1920x1080`);
  return { width: Number(size[1]), height: Number(size[2]) };
}

/**
 * Pages at `viewport`: the launcher sets its own size before each test file, so that call is
 * given this size instead.
 * @param {{ width: number, height: number } | undefined} viewport
 */
function sizedPages(viewport) {
  if (!viewport) return undefined;
  return async ({ context }) => {
    const page = await context.newPage();
    const setViewport = page.setViewport.bind(page);
    page.setViewport = () => setViewport(viewport);
    return page;
  };
}

/**
 * The launcher for `engine`, and a stop function for what was started beside it (WebKit's driver).
 * @param {Engine} engine
 * @param {{ chromiumPath: string, chromiumArgs: string[] }} options
 */
export async function engineLauncher(engine, { chromiumPath, chromiumArgs }) {
  if (engine === 'chromium') {
    return {
      launcher: chromeLauncher({
        launchOptions: { executablePath: chromiumPath, headless: true, args: [...CHROMIUM_FLAGS, ...chromiumArgs] },
        createPage: sizedPages(viewportFromEnv()),
      }),
      stop: async () => {},
    };
  }
  if (engine === 'firefox') {
    const launcher = chromeLauncher({
      launchOptions: { browser: 'firefox', executablePath: FIREFOX_PATH, headless: true },
      createPage: sizedPages(viewportFromEnv()),
    });
    // The launcher is named after Chrome whatever it starts; the progress lines say which engine runs.
    launcher.name = 'Firefox';
    return { launcher, stop: async () => {} };
  }
  const driver = await startWebKitDriver();
  const launcher = webdriverLauncher({
    hostname: '127.0.0.1',
    port: driver.port,
    path: '/',
    logLevel: 'error',
    capabilities: {
      // WebKitWebDriver speaks classic WebDriver only; webdriverio would ask for BiDi and be refused.
      'wdio:enforceWebDriverClassic': true,
      'webkitgtk:browserOptions': { binary: MINIBROWSER_PATH, args: ['--automation'] },
    },
  });
  return { launcher, stop: driver.stop };
}

/** WebKitWebDriver on a free loopback port, on its own virtual display; stopped with the test run. */
async function startWebKitDriver() {
  const port = await freePort();
  // Its own process group, so that stopping it also stops the display and the browser. A large
  // screen, as on a tablet: pdf.js caps a canvas at three screens' area, and on a small virtual
  // screen that cap would hide whether the engine's own canvas budget holds (canvas-budget.test.ts).
  const child = spawn('xvfb-run', ['--auto-servernum', '--server-args=-screen 0 2560x1600x24', WEBKIT_DRIVER_PATH, `--port=${port}`], {
    stdio: ['ignore', 'ignore', 'inherit'],
    detached: true,
  });
  let exited = false;
  child.once('exit', () => (exited = true));
  const stop = async () => {
    if (exited) return;
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  };
  process.once('exit', () => void stop());
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (exited) throw new Error(`${WEBKIT_DRIVER_PATH} under xvfb-run exited before it listened (is webkit2gtk-driver / xvfb installed?)`);
    try {
      const response = await fetch(`http://127.0.0.1:${port}/status`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`${WEBKIT_DRIVER_PATH} did not listen on port ${port}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { port, stop };
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
      server.close(() => resolve(port));
    });
  });
}
