// `npm run serve` is the production start: it seeds no document whose password is published.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { access, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { PROTECTED_SAMPLE_PASSWORD } from '../seed.ts';
import { startTestBackend } from './helpers.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const SERVE = path.join(repoRoot, 'demo/server/main.ts');

/** Starts `npm run serve`'s entry on a free port; resolves with its URL once it listens. */
function serve(dataDir: string): Promise<{ url: string; stop(): Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', SERVE], {
    cwd: repoRoot,
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', PORT: '0', SV_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    await exited;
  };
  return new Promise((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`no URL after 90 s: ${stdout}`));
    }, 90_000); // seeding the samples takes a while on a loaded machine
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /reference backend: (http:\/\/\S+)/.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve({ url: match[1]!, stop });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited (${code}): ${stdout}`));
    });
  });
}

function exchange(url: string): Promise<Response> {
  return fetch(`${url}/api/documents/protected/password-token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ password: PROTECTED_SAMPLE_PASSWORD }),
  });
}

describe('npm run serve', () => {
  let dataDir: string;
  before(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'sv-serve-'));
  });
  after(() => rm(dataDir, { recursive: true, force: true }));

  it('does not seed the sample whose password is published', async () => {
    const server = await serve(dataDir);
    try {
      const response = await exchange(server.url);
      assert.equal(response.status, 401, 'the published password opens nothing');
      await response.arrayBuffer();
    } finally {
      await server.stop();
    }
    await assert.rejects(access(path.join(dataDir, 'documents', 'protected.pdf')), 'not stored');
    await access(path.join(dataDir, 'documents', 'sample.pdf'));
  });

  it('while the demo (and the tests) still have it', async () => {
    const t = await startTestBackend();
    try {
      const response = await exchange(t.url);
      assert.equal(response.status, 200);
      await response.arrayBuffer();
    } finally {
      await t.close();
    }
  });
});
