// Configuration: every variable is checked before anything is written, and a bad one ends the
// process with one line and a non-zero exit, for `npm run serve` (main.ts) and `npm start`.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { access, mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { ConfigError, parseConfig } from '../config.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const SERVE = path.join(repoRoot, 'demo/server/main.ts');
const DEMO = path.join(repoRoot, 'demo/start.ts');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs an entry point with the given environment; kills it after `timeoutMs`. */
function run(entry: string, env: Record<string, string>, timeoutMs = 20_000): Promise<Run> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', entry], {
      cwd: repoRoot,
      env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: Date.now() - started });
    });
  });
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

/** A folder's entries with their sizes and times, and the folder's own time: any write shows. */
async function snapshot(dir: string): Promise<unknown> {
  const entries = await readdir(dir);
  const files = await Promise.all(entries.sort().map(async (name) => {
    const info = await stat(path.join(dir, name));
    return [name, info.size, info.mtimeMs];
  }));
  return { folder: (await stat(dir)).mtimeMs, files };
}

/** One line on stderr, `secure-viewer: …`, no stack trace. */
function assertOneLine(result: Run, pattern: RegExp): void {
  const lines = result.stderr.trim().split('\n');
  assert.equal(lines.length, 1, `stderr: ${result.stderr}`);
  assert.match(lines[0]!, /^secure-viewer: /);
  assert.match(lines[0]!, pattern);
  assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
}

describe('parseConfig', () => {
  it('reads the defaults and trims list entries the same way for every entry point', () => {
    const config = parseConfig({ SV_ALLOWED_ORIGINS: 'https://a.example, https://b.example:8443 ,' }, '/tmp/sv-default');
    assert.deepEqual(config.allowedOrigins, ['https://a.example', 'https://b.example:8443']);
    assert.equal(config.port, 5173);
    assert.equal(config.host, '127.0.0.1');
    assert.equal(config.dataDir, '/tmp/sv-default');
    assert.equal(config.redisUrl, undefined);
    assert.equal(config.maxConnections, 1000);
  });

  const refused: Array<[string, Record<string, string>, RegExp]> = [
    ['PORT not a number', { PORT: 'abc' }, /^PORT must be a whole number from 0 to 65535/],
    ['PORT too large', { PORT: '70000' }, /^PORT/],
    ['PORT negative', { PORT: '-1' }, /^PORT/],
    ['HOST with spaces', { HOST: 'not a host' }, /^HOST/],
    ['SV_API_KEY too short', { SV_API_KEY: 'short' }, /^SV_API_KEY must be at least 32/],
    ['SV_ALLOWED_ORIGINS with a path', { SV_ALLOWED_ORIGINS: 'https://a.example/app' }, /^SV_ALLOWED_ORIGINS/],
    ['SV_ALLOWED_ORIGINS not a URL', { SV_ALLOWED_ORIGINS: 'a.example' }, /^SV_ALLOWED_ORIGINS/],
    ['SV_PUBLIC_ORIGIN not an origin', { SV_PUBLIC_ORIGIN: 'ftp://a.example' }, /^SV_PUBLIC_ORIGIN/],
    ['SV_TRUSTED_PROXIES not an address', { SV_TRUSTED_PROXIES: 'proxy.local' }, /^SV_TRUSTED_PROXIES/],
    ['SV_REDIS_URL not a Redis URL', { SV_REDIS_URL: 'http://127.0.0.1:6379' }, /^SV_REDIS_URL/],
    ['SV_MAX_CONNECTIONS zero', { SV_MAX_CONNECTIONS: '0' }, /^SV_MAX_CONNECTIONS/],
  ];
  for (const [name, env, message] of refused) {
    it(`refuses ${name}`, () => {
      assert.throws(() => parseConfig(env, '/tmp/x'), (error: unknown) => error instanceof ConfigError && message.test(error.message));
    });
  }

  it('accepts trusted proxies, IPv6 hosts and a Redis URL', () => {
    const config = parseConfig({ SV_TRUSTED_PROXIES: 'loopback, 10.0.0.0/8, fd00::/8', HOST: '::1', SV_REDIS_URL: 'redis://127.0.0.1:6390/0' }, '/tmp/x');
    assert.ok(config.trustedProxies.contains('10.1.2.3'));
    assert.ok(!config.trustedProxies.contains('192.0.2.1'));
    assert.equal(config.host, '::1');
    assert.equal(config.redisUrl, 'redis://127.0.0.1:6390/0');
  });
});

describe('start-up failures (npm run serve, npm start)', () => {
  let work: string;
  let busy: Server;
  let busyPort: number;
  let closedPort: number;

  before(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'sv-config-'));
    busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    busyPort = (busy.address() as { port: number }).port;
    // A port nothing listens on: opened and closed again.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    closedPort = (probe.address() as { port: number }).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
  });
  after(async () => {
    await new Promise<void>((resolve) => busy.close(() => resolve()));
    await rm(work, { recursive: true, force: true });
  });

  it('PORT=abc: one line, exit 2, and the data folder is not even created', async () => {
    const dataDir = path.join(work, 'port-abc');
    const result = await run(SERVE, { PORT: 'abc', SV_DATA_DIR: dataDir });
    assert.equal(result.code, 2);
    assertOneLine(result, /PORT must be a whole number/);
    assert.equal(await exists(dataDir), false);
  });

  it('npm start reads the same variables: PORT=abc there too', async () => {
    const dataDir = path.join(work, 'demo-port-abc');
    const result = await run(DEMO, { PORT: 'abc', SV_DATA_DIR: dataDir });
    assert.equal(result.code, 2);
    assertOneLine(result, /PORT must be a whole number/);
    assert.equal(await exists(dataDir), false);
  });

  it('every variable is checked before start-up: bad origins, proxies, API key, connection cap', async () => {
    const cases: Array<Record<string, string>> = [
      { SV_ALLOWED_ORIGINS: 'https://a.example/app' },
      { SV_PUBLIC_ORIGIN: 'nope' },
      { SV_TRUSTED_PROXIES: '10.0.0.0/40' },
      { SV_API_KEY: 'too-short' },
      { SV_MAX_CONNECTIONS: 'many' },
      { HOST: 'bad host' },
      { SV_REDIS_URL: 'localhost:6379' },
    ];
    // One at a time: each is a Node process compiling TypeScript, and the machine is small.
    const results: Run[] = [];
    for (const [i, env] of cases.entries()) results.push(await run(SERVE, { ...env, SV_DATA_DIR: path.join(work, `case-${i}`) }));
    for (const [i, result] of results.entries()) {
      const name = Object.keys(cases[i]!)[0]!;
      assert.equal(result.code, 2, name);
      assertOneLine(result, new RegExp(name));
      assert.equal(await exists(path.join(work, `case-${i}`)), false, `${name}: nothing written`);
    }
  });

  it('SV_DATA_DIR that cannot be written: one line, exit 2, quickly', async () => {
    const result = await run(SERVE, { SV_DATA_DIR: '/proc/nope', PORT: '0' });
    assert.equal(result.code, 2);
    assertOneLine(result, /SV_DATA_DIR "\/proc\/nope" is not a writable folder/);
    assert.ok(result.ms < 15_000, `${result.ms} ms`);
  });

  it('a port in use: one line, exit 1, no EADDRINUSE stack', async () => {
    const result = await run(SERVE, { PORT: String(busyPort), SV_DATA_DIR: path.join(work, 'busy') });
    assert.equal(result.code, 1);
    assertOneLine(result, new RegExp(`127\\.0\\.0\\.1:${busyPort} is already in use`));
  });

  it('a port in use leaves the data folder alone (npm run serve): not created, or not changed', async () => {
    const fresh = path.join(work, 'serve-busy-fresh');
    const result = await run(SERVE, { PORT: String(busyPort), SV_DATA_DIR: fresh });
    assert.equal(result.code, 1);
    assertOneLine(result, new RegExp(`127\\.0\\.0\\.1:${busyPort} is already in use`));
    assert.equal(await exists(fresh), false, 'no data folder');

    const existing = path.join(work, 'serve-busy-existing');
    await mkdir(existing);
    await writeFile(path.join(existing, 'kept'), 'as it was');
    const before = await snapshot(existing);
    const again = await run(SERVE, { PORT: String(busyPort), SV_DATA_DIR: existing });
    assert.equal(again.code, 1);
    assert.deepEqual(await snapshot(existing), before, 'nothing written');
  });

  it('npm start with its port in use: one line, exit 1, and the data folder is not created or changed', async () => {
    const fresh = path.join(work, 'demo-busy-fresh');
    const result = await run(DEMO, { PORT: String(busyPort), SV_DATA_DIR: fresh }, 60_000);
    assert.equal(result.code, 1);
    assertOneLine(result, new RegExp(`127\\.0\\.0\\.1:${busyPort} is already in use`));
    assert.equal(await exists(fresh), false, 'no data folder');

    const existing = path.join(work, 'demo-busy-existing');
    await mkdir(existing);
    await writeFile(path.join(existing, 'kept'), 'as it was');
    const before = await snapshot(existing);
    const again = await run(DEMO, { PORT: String(busyPort), SV_DATA_DIR: existing }, 60_000);
    assert.equal(again.code, 1);
    assertOneLine(again, /is already in use/);
    assert.deepEqual(await snapshot(existing), before, 'nothing written');
  });

  it('SV_REDIS_URL unreachable at start: one line, exit 1', async () => {
    const result = await run(SERVE, { PORT: '0', SV_REDIS_URL: `redis://127.0.0.1:${closedPort}`, SV_DATA_DIR: path.join(work, 'redis-down') });
    assert.equal(result.code, 1);
    assertOneLine(result, new RegExp(`Redis at redis://127\\.0\\.0\\.1:${closedPort} is unreachable`));
    // The data folder check may have created the folder, but nothing is seeded or written in it.
    const folder = path.join(work, 'redis-down');
    assert.deepEqual(await exists(folder) ? await readdir(folder) : [], []);
  });
});
