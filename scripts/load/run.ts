// `npm run load`: a bounded load check of the reference backend on 127.0.0.1 (not part of npm test).
//  1. Range serving: 200 concurrent readers (each with its own token and forwarded client address,
//     so the server's per-token and per-address bounds on open bodies are on, at their defaults,
//     as for 200 real readers) of random 32 KiB ranges of the 24.7 MiB sample, the backend (with
//     its in-process store, and with the Redis store) against a bare Node range server sent the
//     very same requests. Other work on a shared machine shifts req/s by a third from one second to
//     the next, so the two are measured in short rounds taking turns: LOAD_PAIRS (default 6) pairs
//     per store of LOAD_SECONDS (default 3) each, the order within a pair alternating, after
//     LOAD_WARM_UP_SECONDS (default 2) of warm-up per server. Each pair gives a ratio of req/s, and
//     of CPU time the server's process spent per answered request (from /proc; other work shifts it
//     far less); the summary gives their medians over the pairs with the spread.
//     LOAD_STORES (`memory,redis`) picks the stores; LOAD_SERVER_FLAGS adds Node flags to every
//     measured server, bare and backend alike (`--cpu-prof --cpu-prof-dir=…`, `--trace-gc`).
//  2. Password guessing: 1,000 parallel wrong passwords for one document from 1,000 forwarded
//     client addresses, spread over two instances sharing one Redis (LOAD_GUESSING=0 skips it).
// Servers run in their own processes; autocannon runs here, the same client for every server.
// Each figure is printed as it is measured (progress on stderr), then a Markdown summary.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os, { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { startRedis } from '../../demo/server/test/redis-server.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const SECONDS = Number(process.env['LOAD_SECONDS'] ?? 3);
const PAIRS = Number(process.env['LOAD_PAIRS'] ?? 6);
const WARM_UP_SECONDS = Number(process.env['LOAD_WARM_UP_SECONDS'] ?? 2);
const STORES = (process.env['LOAD_STORES'] ?? 'memory,redis').split(',').filter(Boolean);
const SERVER_FLAGS = (process.env['LOAD_SERVER_FLAGS'] ?? '').split(' ').filter(Boolean);
const GUESSING = process.env['LOAD_GUESSING'] !== '0';
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
function startProcess(entry: string, args: string[], env: Record<string, string> = {}, flags: readonly string[] = []): Promise<Child> {
  const child = spawn(process.execPath, [...flags, '--import', 'tsx', path.join(here, entry), ...args], {
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
  requestsPerSecond: number;
  /** CPU time the server's process spent per answered request (µs), or null where /proc is missing. */
  cpuPerRequest: number | null;
  p99: number;
  ok: number;
  /** Answers other than 2xx, errors and timeouts. */
  bad: number;
  /** With `--trace-gc` among LOAD_SERVER_FLAGS: the server's collections in the round. */
  gc: GcFigures | null;
}

/** Garbage collections a server reported (`--trace-gc`): young-generation scavenges and full collections. */
interface GcFigures {
  scavenges: number;
  scavengeMs: number;
  full: number;
  fullMs: number;
}

const GC_LINE = /: (Scavenge|Mark-Compact|Mark-sweep|Minor Mark-Compact)\b.*?MB, ([\d.]+) \/ ([\d.]+) ms/;

/** Sums the `--trace-gc` lines a server printed. */
function gcFigures(lines: readonly string[]): GcFigures {
  const figures: GcFigures = { scavenges: 0, scavengeMs: 0, full: 0, fullMs: 0 };
  for (const line of lines) {
    const match = GC_LINE.exec(line);
    if (!match) continue;
    const ms = Number(match[2]);
    if (match[1] === 'Scavenge') {
      figures.scavenges++;
      figures.scavengeMs += ms;
    } else {
      figures.full++;
      figures.fullMs += ms;
    }
  }
  return figures;
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
        const reader = readers[next++ % readers.length]!;
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

interface Target {
  server: Child;
  url: string;
  readers: readonly Reader[];
}

const TRACING_GC = SERVER_FLAGS.includes('--trace-gc');

async function rangeLoad(target: Target, size: number, seconds: number): Promise<RangeResult> {
  const linesBefore = target.server.lines.length;
  const cpuBefore = await cpuMicros(target.server.process.pid!);
  const result = await autocannon({ url: target.url, connections: READERS, duration: seconds, timeout: 10, requests: rangeRequests(size, target.readers) });
  const cpuAfter = await cpuMicros(target.server.process.pid!);
  // The server's last lines of the round may still be in the pipe.
  if (TRACING_GC) await new Promise((resolve) => setTimeout(resolve, 100));
  return {
    requestsPerSecond: result.requests.average,
    cpuPerRequest: cpuBefore === null || cpuAfter === null || result['2xx'] === 0 ? null : (cpuAfter - cpuBefore) / result['2xx'],
    p99: result.latency.p99,
    ok: result['2xx'],
    bad: result.non2xx + result.errors + result.timeouts,
    gc: TRACING_GC ? gcFigures(target.server.lines.slice(linesBefore)) : null,
  };
}

/** One pair: the bare server and the backend, one short round each, back to back. */
interface Pair {
  pair: number;
  store: string;
  bare: RangeResult;
  backend: RangeResult;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

const micros = (value: number | null): string => (value === null ? '—' : `${Math.round(value)} µs`);
const times = (value: number | null): string => (value === null ? '—' : `${value.toFixed(2)}×`);
/** The backend's CPU per request against the bare server's, as a throughput ratio: bare µs ÷ backend µs. */
const cpuRatio = (p: Pair): number | null => (p.bare.cpuPerRequest === null || p.backend.cpuPerRequest === null ? null : p.bare.cpuPerRequest / p.backend.cpuPerRequest);
const load = (): string => os.loadavg().map((value) => value.toFixed(1)).join(' ');

function pairRow(p: Pair): string {
  return `| ${p.pair} | ${p.store} | ${Math.round(p.bare.requestsPerSecond)} | ${Math.round(p.backend.requestsPerSecond)} | ${times(p.backend.requestsPerSecond / p.bare.requestsPerSecond)} | ${micros(p.bare.cpuPerRequest)} | ${micros(p.backend.cpuPerRequest)} | ${times(cpuRatio(p))} | ${p.bare.p99} / ${p.backend.p99} ms | ${p.bare.bad + p.backend.bad} |`;
}

/** Median and spread (lowest–highest) of the values that are known. */
function spread(values: ReadonlyArray<number | null>, format: (value: number) => string): string {
  const known = values.filter((value): value is number => value !== null);
  if (known.length === 0) return '—';
  return `${format(median(known))} (${format(Math.min(...known))}–${format(Math.max(...known))})`;
}

const STORE_NAMES: Record<string, string> = { memory: 'in-process store', redis: 'Redis store' };

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

async function passwordGuessing(shared: Child, redisUrl: string, work: string): Promise<void> {
  progress('password guessing');
  const second = await startProcess('backend-instance.ts', [], { SV_DATA_DIR: path.join(work, 'redis'), SV_REDIS_URL: redisUrl, SV_TRUSTED_PROXIES: 'loopback' });
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
}

const work = await mkdtemp(path.join(tmpdir(), 'sv-load-'));
const redis = await startRedis();
let failed = false;
try {
  // 1. Range serving: the bare server and each backend in pairs of short rounds, taking turns.
  for (const store of STORES) if (!STORE_NAMES[store]) throw new Error(`LOAD_STORES: unknown store "${store}" (memory, redis)`);
  const backends = await Promise.all(
    STORES.map((store) =>
      startProcess(
        'backend-instance.ts',
        [],
        { SV_DATA_DIR: path.join(work, store), SV_TRUSTED_PROXIES: 'loopback', ...(store === 'redis' ? { SV_REDIS_URL: redis.url } : {}) },
        SERVER_FLAGS,
      ),
    ),
  );
  progress('backends started');
  const readers = await Promise.all(backends.map(async (backend) => readersOf(await Promise.all(Array.from({ length: READERS }, () => token(backend, 'large'))))));
  progress(`${READERS * backends.length} tokens minted`);
  const size = await documentSize(backends[0]!, readers[0]![0]!.authorization!.slice('Bearer '.length), 'large');
  const bare = await startProcess('bare-range-server.ts', [path.join(work, STORES[0]!, 'documents', 'large.pdf')], {}, SERVER_FLAGS);
  // The bare server is sent the very same requests (tokens and forwarded addresses it ignores), so
  // both parse the same bytes and the client does the same work for either.
  const targets = STORES.map((store, i) => ({
    store: STORE_NAMES[store]!,
    backend: { server: backends[i]!, url: `${backends[i]!.url}/api/documents/large/content`, readers: readers[i]! },
    bare: { server: bare, url: `${bare.url}/large.pdf`, readers: readers[i]! },
  }));
  if (WARM_UP_SECONDS > 0) {
    for (const target of targets) await rangeLoad(target.backend, size, WARM_UP_SECONDS);
    await rangeLoad(targets[0]!.bare, size, WARM_UP_SECONDS);
  }
  progress('warmed up');
  const startLoad = load();
  console.log(`\nRange serving: ${READERS} concurrent readers of random ${RANGE / 1024} KiB ranges, ${PAIRS} pairs of ${SECONDS} s rounds per store (bare server and backend back to back, the order alternating), after ${WARM_UP_SECONDS} s of warm-up; load average at the start ${startLoad}\n`);
  console.log('| pair | backend | bare req/s | backend req/s | req/s vs bare | bare CPU per request | backend CPU per request | CPU vs bare (bare µs ÷ backend µs) | p99 bare / backend | non-2xx + errors |');
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  const pairs: Pair[] = [];
  for (let pair = 1; pair <= PAIRS; pair++) {
    for (const target of targets) {
      progress(`pair ${pair}: ${target.store}`);
      // Whichever goes first in a pair could gain or lose from what the machine does then: the order alternates.
      const bareFirst = pair % 2 === 1;
      const first = await rangeLoad(bareFirst ? target.bare : target.backend, size, SECONDS);
      const second = await rangeLoad(bareFirst ? target.backend : target.bare, size, SECONDS);
      const result: Pair = { pair, store: target.store, bare: bareFirst ? first : second, backend: bareFirst ? second : first };
      pairs.push(result);
      console.log(pairRow(result));
    }
  }
  console.log(`\nMedians over ${PAIRS} pairs (spread: lowest–highest pair); load average at the start ${startLoad}, at the end ${load()}\n`);
  console.log('| backend | req/s vs bare | CPU vs bare (bare µs ÷ backend µs) | bare CPU per request | backend CPU per request | non-2xx + errors |');
  console.log('|---|---|---|---|---|---|');
  for (const target of targets) {
    const own = pairs.filter((p) => p.store === target.store);
    const bad = own.reduce((sum, p) => sum + p.bare.bad + p.backend.bad, 0);
    console.log(
      `| ${target.store} | **${spread(
        own.map((p) => p.backend.requestsPerSecond / p.bare.requestsPerSecond),
        (v) => `${v.toFixed(2)}×`,
      )}** | **${spread(own.map(cpuRatio), (v) => `${v.toFixed(2)}×`)}** | ${spread(
        own.map((p) => p.bare.cpuPerRequest),
        (v) => `${Math.round(v)}`,
      )} µs | ${spread(
        own.map((p) => p.backend.cpuPerRequest),
        (v) => `${Math.round(v)}`,
      )} µs | ${bad} |`,
    );
  }
  if (TRACING_GC) {
    console.log(`\nGarbage collection (--trace-gc), per 1,000 answered requests, medians over ${PAIRS} pairs\n`);
    console.log('| server | scavenges | scavenge ms | full collections | full collection ms |');
    console.log('|---|---|---|---|---|');
    const gcRow = (name: string, results: RangeResult[]): string => {
      const per = (pick: (gc: GcFigures) => number) => median(results.map((r) => (pick(r.gc!) * 1000) / Math.max(1, r.ok))).toFixed(1);
      return `| ${name} | ${per((gc) => gc.scavenges)} | ${per((gc) => gc.scavengeMs)} | ${per((gc) => gc.full)} | ${per((gc) => gc.fullMs)} |`;
    };
    console.log(gcRow('bare Node range server', pairs.map((p) => p.bare)));
    for (const target of targets) console.log(gcRow(`backend, ${target.store}`, pairs.filter((p) => p.store === target.store).map((p) => p.backend)));
  }
  await bare.stop();
  const memory = STORES.indexOf('memory');
  if (memory >= 0) await backends[memory]!.stop();

  // 2. Password guessing against two instances on one Redis.
  if (GUESSING && !STORES.includes('redis')) throw new Error('password guessing needs the Redis store (LOAD_STORES=memory,redis, or LOAD_GUESSING=0)');
  if (GUESSING) await passwordGuessing(backends[STORES.indexOf('redis')]!, redis.url, work);
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
