// `npm run load`: a bounded load check of the reference backend on 127.0.0.1 (not part of npm test).
//  1. Range serving: 200 concurrent readers (each with its own token and forwarded client address,
//     so the server's per-token and per-address bounds on open bodies are on, at their defaults,
//     as for 200 real readers) of random 32 KiB ranges of the 24.7 MiB sample, for
//     LOAD_SECONDS (default 8) each after LOAD_WARM_UP_SECONDS (default 2) of warm-up, against a
//     bare Node range server, the backend with its in-process store and the backend with the
//     Redis store, in LOAD_ROUNDS (default 3) rounds taking turns, since other work on the machine
//     shifts the numbers; the summary gives each server's median and spread over the rounds, and
//     the CPU time the server's process spent per request (from /proc), which that work shifts less.
//  2. Password guessing: 1,000 parallel wrong passwords for one document from 1,000 forwarded
//     client addresses, spread over two instances sharing one Redis.
// Servers run in their own processes; autocannon runs here, the same client for every server.
// Each figure is printed as it is measured (progress on stderr), then a Markdown summary.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { startRedis } from '../../demo/server/test/redis-server.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const SECONDS = Number(process.env['LOAD_SECONDS'] ?? 8);
const ROUNDS = Number(process.env['LOAD_ROUNDS'] ?? 3);
const WARM_UP_SECONDS = Number(process.env['LOAD_WARM_UP_SECONDS'] ?? 2);
const READERS = 200;
const RANGE = 32 * 1024;
const GUESSES = 1000;
const START_TIMEOUT_MS = 60_000;
/** Linux's USER_HZ: /proc reports CPU times in these ticks. */
const CLOCK_TICKS = 100;

const began = Date.now();
/** One line on stderr with the time since the start: where the run's time goes. */
function progress(message: string): void {
  process.stderr.write(`[${((Date.now() - began) / 1000).toFixed(1)} s] ${message}\n`);
}

interface Child {
  process: ChildProcess;
  url: string;
  apiKey: string;
  lines: string[];
  stop(): Promise<void>;
}

/** Every process started, ready or not, so a failed start is stopped too and the script can end. */
const children: ChildProcess[] = [];

function stopProcess(child: ChildProcess): Promise<void> {
  return new Promise<void>((done) => {
    if (child.exitCode !== null || child.signalCode !== null) return done();
    child.once('exit', () => done());
    child.kill('SIGTERM');
  });
}

/** Starts a TypeScript entry in a new Node process and waits for its `ready <url> [key]` line. */
function startProcess(entry: string, args: string[], env: Record<string, string> = {}): Promise<Child> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, entry), ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  const lines: string[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`${entry} printed no ready line within ${START_TIMEOUT_MS / 1000} s; it printed: ${lines.slice(-3).join(' | ')}`));
      void stopProcess(child);
    }, START_TIMEOUT_MS);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${entry} exited with ${code}`));
    });
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const ready = /^ready (\S+)(?: (\S+))?\s*$/.exec(line);
      if (!ready) {
        lines.push(line);
        return;
      }
      clearTimeout(timer);
      child.removeAllListeners('exit');
      resolve({ process: child, url: ready[1]!, apiKey: ready[2] ?? '', lines, stop: () => stopProcess(child) });
    });
  });
}

async function token(backend: Child, documentId: string): Promise<string> {
  const response = await fetch(`${backend.url}/api/tokens`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${backend.apiKey}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ allowed_documents: [{ document_id: documentId, document_permissions: ['read'] }], exp: Math.floor(Date.now() / 1000) + 900 }),
  });
  if (!response.ok) throw new Error(`token: ${response.status}`);
  return ((await response.json()) as { jwt: string }).jwt;
}

async function documentSize(backend: Child, jwt: string, documentId: string): Promise<number> {
  const response = await fetch(`${backend.url}/api/documents/${documentId}/content`, { headers: { Authorization: `Bearer ${jwt}`, Range: 'bytes=0-0' } });
  await response.arrayBuffer();
  return Number(/\/(\d+)$/.exec(response.headers.get('content-range') ?? '')?.[1]);
}

interface RangeResult {
  round: number;
  name: string;
  requestsPerSecond: number;
  /** CPU time the server's process spent per answered request (µs), or null where /proc is missing. */
  cpuPerRequest: number | null;
  p99: number;
  ok: number;
  non2xx: number;
  errors: number;
}

/** The headers of one reader: its token and the address a trusted proxy forwarded for. */
type Reader = Record<string, string>;

function readersOf(tokens: readonly string[]): Reader[] {
  return tokens.map((jwt, i) => ({ authorization: `Bearer ${jwt}`, 'x-forwarded-for': `198.19.${Math.floor(i / 250)}.${(i % 250) + 1}` }));
}

function rangeRequests(size: number, readers: readonly Reader[]) {
  const chunks = Math.floor(size / RANGE);
  let next = 0;
  return [
    {
      setupRequest(request: { headers?: Record<string, string> }) {
        const start = Math.floor(Math.random() * chunks) * RANGE;
        const reader = readers.length > 0 ? readers[next++ % readers.length]! : {};
        return { ...request, headers: { ...request.headers, ...reader, range: `bytes=${start}-${start + RANGE - 1}` } };
      },
    },
  ];
}

/**
 * CPU time (user + system, every thread) a process has used so far, in µs, from /proc: what a
 * request costs the server, which other work on a shared machine shifts far less than req/s.
 */
async function cpuMicros(pid: number): Promise<number | null> {
  try {
    const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1e6) / CLOCK_TICKS;
  } catch {
    return null;
  }
}

async function rangeLoad(round: number, name: string, server: Child, url: string, size: number, readers: readonly Reader[]): Promise<RangeResult> {
  progress(`round ${round}: ${name}`);
  if (WARM_UP_SECONDS > 0) await autocannon({ url, connections: READERS, duration: WARM_UP_SECONDS, timeout: 10, requests: rangeRequests(size, readers) });
  const cpuBefore = await cpuMicros(server.process.pid!);
  const result = await autocannon({ url, connections: READERS, duration: SECONDS, timeout: 10, requests: rangeRequests(size, readers) });
  const cpuAfter = await cpuMicros(server.process.pid!);
  return {
    round,
    name,
    requestsPerSecond: result.requests.average,
    cpuPerRequest: cpuBefore === null || cpuAfter === null || result['2xx'] === 0 ? null : (cpuAfter - cpuBefore) / result['2xx'],
    p99: result.latency.p99,
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

async function guessLoad(instances: Child[]): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  const started = Date.now();
  await Promise.all(
    Array.from({ length: GUESSES }, async (_, i) => {
      const instance = instances[i % instances.length]!;
      let outcome: string;
      try {
        const response = await fetch(`${instance.url}/api/documents/protected/password-token`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': `198.18.${Math.floor(i / 250)}.${(i % 250) + 1}` },
          body: JSON.stringify({ password: `wrong-${i}` }),
        });
        await response.arrayBuffer();
        outcome = String(response.status);
      } catch {
        outcome = 'failed';
      }
      counts[outcome] = (counts[outcome] ?? 0) + 1;
    }),
  );
  counts['seconds'] = Math.round((Date.now() - started) / 100) / 10;
  return counts;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

const SERVERS = ['bare Node range server', 'backend, in-process store', 'backend, Redis store'] as const;

const micros = (value: number | null): string => (value === null ? '—' : `${Math.round(value)} µs`);

function rangeRow(r: RangeResult, bareRate: number): string {
  return `| ${r.round} | ${r.name} | ${Math.round(r.requestsPerSecond)} | ${r.p99} ms | ${(r.requestsPerSecond / bareRate).toFixed(2)}× | ${micros(r.cpuPerRequest)} | ${r.ok} | ${r.non2xx} | ${r.errors} |`;
}

const work = await mkdtemp(path.join(tmpdir(), 'sv-load-'));
const redis = await startRedis();
let failed = false;
try {
  // 1. Range serving: the three servers side by side, taking turns.
  const [memory, shared] = await Promise.all([
    startProcess('backend-instance.ts', [], { SV_DATA_DIR: path.join(work, 'memory'), SV_TRUSTED_PROXIES: 'loopback' }),
    startProcess('backend-instance.ts', [], { SV_DATA_DIR: path.join(work, 'shared'), SV_REDIS_URL: redis.url, SV_TRUSTED_PROXIES: 'loopback' }),
  ]);
  progress('backends started');
  const memoryReaders = readersOf(await Promise.all(Array.from({ length: READERS }, () => token(memory, 'large'))));
  const sharedReaders = readersOf(await Promise.all(Array.from({ length: READERS }, () => token(shared, 'large'))));
  progress(`${READERS * 2} tokens minted`);
  const size = await documentSize(memory, memoryReaders[0]!.authorization!.slice('Bearer '.length), 'large');
  const bare = await startProcess('bare-range-server.ts', [path.join(work, 'memory', 'documents', 'large.pdf')]);
  const targets: Record<(typeof SERVERS)[number], { server: Child; url: string; readers: readonly Reader[] }> = {
    'bare Node range server': { server: bare, url: `${bare.url}/large.pdf`, readers: [] },
    'backend, in-process store': { server: memory, url: `${memory.url}/api/documents/large/content`, readers: memoryReaders },
    'backend, Redis store': { server: shared, url: `${shared.url}/api/documents/large/content`, readers: sharedReaders },
  };
  console.log(`\nRange serving: ${READERS} concurrent readers of random ${RANGE / 1024} KiB ranges, ${SECONDS} s each after ${WARM_UP_SECONDS} s of warm-up, ${ROUNDS} rounds\n`);
  console.log('| round | server | req/s | p99 latency | vs bare (same round) | server CPU per request | 2xx | non-2xx | errors |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  const results: RangeResult[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    let bareRate = 0;
    for (const name of SERVERS) {
      const result = await rangeLoad(round, name, targets[name].server, targets[name].url, size, targets[name].readers);
      if (name === 'bare Node range server') bareRate = result.requestsPerSecond;
      results.push(result);
      console.log(rangeRow(result, bareRate));
    }
  }
  console.log(`\nMedian of ${ROUNDS} rounds (spread: lowest–highest round)\n`);
  console.log('| server | req/s | vs bare (same round) | server CPU per request | non-2xx + errors |');
  console.log('|---|---|---|---|---|');
  for (const name of SERVERS) {
    const own = results.filter((r) => r.name === name);
    const rates = own.map((r) => r.requestsPerSecond);
    const ratios = own.map((r) => r.requestsPerSecond / results.find((b) => b.round === r.round)!.requestsPerSecond);
    const bad = own.reduce((sum, r) => sum + r.non2xx + r.errors, 0);
    const cpu = own.map((r) => r.cpuPerRequest).filter((value): value is number => value !== null);
    const cpuCell = cpu.length === 0 ? '—' : `${micros(median(cpu))} (${micros(Math.min(...cpu))}–${micros(Math.max(...cpu))})`;
    console.log(
      `| ${name} | ${Math.round(median(rates))} (${Math.round(Math.min(...rates))}–${Math.round(Math.max(...rates))}) | ${median(ratios).toFixed(2)}× (${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}) | ${cpuCell} | ${bad} |`,
    );
  }
  await Promise.all([memory.stop(), bare.stop()]);

  // 2. Password guessing against two instances on one Redis.
  progress('password guessing');
  const second = await startProcess('backend-instance.ts', [], { SV_DATA_DIR: path.join(work, 'shared'), SV_REDIS_URL: redis.url, SV_TRUSTED_PROXIES: 'loopback' });
  const guesses = await guessLoad([shared, second]);
  const hashed = [shared, second].reduce((sum, instance) => sum + instance.lines.filter((line) => line.includes('audit password.failure')).length, 0);
  // The first API key is shown only by the instance that made it; it works on both.
  const apiKey = shared.apiKey || second.apiKey;
  const alive = await Promise.all([shared, second].map(async (instance) => (await fetch(`${instance.url}/api/documents`, { headers: { Authorization: `Bearer ${apiKey}` } })).status));
  console.log(`\nPassword guessing: ${GUESSES} parallel wrong passwords for one document from ${GUESSES} client addresses, over two instances on one Redis\n`);
  console.log(`| answered 401 (hashed) | 429 | 503 (hash queue full) | other | failed | scrypt runs seen in audit | instances alive | seconds |`);
  console.log('|---|---|---|---|---|---|---|---|');
  const other = Object.entries(guesses).filter(([key]) => !['401', '429', '503', 'failed', 'seconds'].includes(key)).reduce((sum, [, n]) => sum + n, 0);
  console.log(`| ${guesses['401'] ?? 0} | ${guesses['429'] ?? 0} | ${guesses['503'] ?? 0} | ${other} | ${guesses['failed'] ?? 0} | ${hashed} | ${alive.filter((s) => s === 200).length}/2 | ${guesses['seconds']} |`);
} catch (error) {
  failed = true;
  console.error(`load check failed: ${error instanceof Error ? error.message : String(error)}`);
} finally {
  await Promise.all(children.map(stopProcess));
  await redis.stop();
  await rm(work, { recursive: true, force: true });
  progress('done');
}
process.exitCode = failed ? 1 : 0;
