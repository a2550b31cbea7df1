// Every demo page of `npm start`, driven in headless Chromium against the real demo server.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { firstPagePixel, launchChromium } from './support.ts';
import { startDemo, type Demo } from '../../demo/demo-server.ts';
import { ensurePackageBuilt } from './package-build.ts';

let demo: Demo;
let browser: Browser;
let dataDir: string;

before(async () => {
  // The React and Vue demo apps import the built package.
  await ensurePackageBuilt();
  dataDir = await mkdtemp(path.join(tmpdir(), 'sv-demo-e2e-'));
  demo = await startDemo({ port: 0, dataDir, log: () => {} });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await demo?.close();
  await rm(dataDir, { recursive: true, force: true });
});

async function open(name: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  page.on('pageerror', (error) => console.error(`${name}: ${error.message}`));
  await page.goto(`${demo.url}/demo/${name}`);
  return page;
}

async function logText(page: Page): Promise<string> {
  return (await page.locator('#log').textContent()) ?? '';
}

describe('demo pages', () => {
  test('the index links to every demo', async () => {
    const page = await open('');
    const links = await page.locator('main a').evaluateAll((anchors) => anchors.map((a) => a.getAttribute('href')));
    for (const target of ['./renew.html', './token-url.html', './password.html', './encrypted.html', './permissions.html', './errors.html', './react/', './vue/']) {
      assert.ok(links.includes(target), `index links ${target}`);
    }
    await page.close();
  });

  test('renewing tokens: renders, logs requests, and the host renews the 20 s token', async () => {
    const page = await open('renew.html');
    assert.deepEqual(await firstPagePixel(page, '#viewer'), [255, 0, 0]);
    await page.waitForFunction(() => document.querySelector('#log')!.textContent!.includes('sv-token-renew (expiring)'), null, { timeout: 20_000 });
    const log = await logText(page);
    assert.match(log, /sv-load, 3 pages/);
    assert.match(log, /request \/api\/documents\/sample\/content/);
    assert.doesNotMatch(log, /eyJ/, 'no token in the log');
    await page.close();
  });

  test('the 500-page report loads through token-url', async () => {
    const page = await open('token-url.html');
    await firstPagePixel(page, '#viewer');
    await page.waitForFunction(() => document.querySelector('#log')!.textContent!.includes('sv-load, 500 pages'));
    await page.close();
  });

  test('access password: the markup-only page unlocks with the password it shows', async () => {
    const page = await open('password.html');
    const input = page.locator('#access [part~="password-input"]');
    await input.waitFor();
    await input.fill('reader-2026');
    await input.press('Enter');
    assert.deepEqual(await firstPagePixel(page, '#access'), [0, 255, 0]);
    await page.close();
  });

  test('encrypted PDF: unlocks in the browser with its PDF password', async () => {
    const page = await open('encrypted.html');
    const input = page.locator('#encrypted [part~="password-input"]');
    await input.waitFor();
    await input.fill('open-sesame');
    await input.press('Enter');
    assert.deepEqual(await firstPagePixel(page, '#encrypted'), [255, 0, 0]);
    assert.match(await logText(page), /sv-password-required \(document\)/);
    await page.close();
  });

  test('permissions: read-only has no download or print; the other has both', async () => {
    const page = await open('permissions.html');
    const viewers = page.locator('secure-viewer');
    await firstPagePixel(page, 'section:nth-of-type(1) secure-viewer');
    await firstPagePixel(page, 'section:nth-of-type(2) secure-viewer');
    assert.equal(await viewers.nth(0).locator('[part~="download-button"]').count(), 0);
    assert.equal(await viewers.nth(0).locator('[part~="print-button"]').count(), 0);
    assert.equal(await viewers.nth(1).locator('[part~="download-button"]').count(), 1);
    assert.equal(await viewers.nth(1).locator('[part~="print-button"]').count(), 1);
    await page.close();
  });

  for (const framework of ['react', 'vue']) {
    test(`${framework}: the app renders, logs events and renews through its callback`, async () => {
      const page = await open(`${framework}/?ttl=6`);
      assert.deepEqual(await firstPagePixel(page, '#viewer'), [255, 0, 0]);
      await page.waitForFunction(() => document.querySelector('#log')!.textContent!.includes('sv-load, 3 pages'));
      await page.waitForFunction(() => document.querySelector('#log')!.textContent!.includes('sv-token-renew (expiring)'), null, { timeout: 15_000 });
      assert.match(await logText(page), /host: renewing the token \(expiring\)/);
      await page.close();
    });
  }

  test('errors: a missing document and a malformed token show typed errors', async () => {
    const page = await open('errors.html');
    await page.waitForFunction(() => {
      const text = document.querySelector('#log')!.textContent!;
      return text.includes('sv-error not-found') && text.includes('sv-error unauthorized');
    });
    assert.equal(await page.locator('#missing [part~="retry-button"]').count(), 1);
    await page.close();
  });
});
