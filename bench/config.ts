import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const benchDir = path.dirname(fileURLToPath(import.meta.url));
export const repoDir = path.dirname(benchDir);
export const cacheDir = path.join(benchDir, '.cache');
export const outDir = path.join(benchDir, '.out');

export type Protocol = 'http1' | 'http2';
const protocols: readonly Protocol[] = ['http1', 'http2'];

/**
 * How the document server answers a request for several ranges:
 * - multi:      `206 multipart/byteranges` (nginx, Apache, the reference backend);
 * - single-200: `200` and the whole file (Express's `send`, Django's `FileResponse`, many CDNs);
 * - single-416: `416` (a server that takes one range only; S3 and the like serve one per GET).
 * A request for one range gets its `206` from all three.
 */
export type RangeMode = 'multi' | 'single-200' | 'single-416';
export const rangeModes: readonly RangeMode[] = ['multi', 'single-200', 'single-416'];

export interface BenchConfig {
  /** Bytes per second shared by every document response in flight. */
  bandwidth: number;
  /** Added before the first byte of every document response (a round trip). */
  latencyMs: number;
  /** Runs per variant; variants alternate so drift hits them all alike. */
  runs: number;
  quick: boolean;
  /** Reuse an existing bench/.out build instead of building the element again. */
  skipBuild: boolean;
  chromiumPath: string;
  /** Only run scenarios whose name contains one of these (empty: all). */
  only: string[];
  /** Only first-page documents whose file name contains one of these (empty: all). */
  documents: string[];
  /**
   * First-page runs go over each of these; the other scenarios use the first. http2 is HTTP/2
   * over TLS on loopback with a certificate made at start.
   */
  protocols: Protocol[];
  /** First-page runs go to a server of each of these, over each protocol; the other scenarios use multi. */
  rangeModes: RangeMode[];
}

const usage = `Usage: npm run bench -- [options]   (each option also as an environment variable)
  --bandwidth=<MB/s>    BENCH_BANDWIDTH   shared document bandwidth in MB/s (10^6 bytes), default 4
  --latency=<ms>        BENCH_LATENCY     per-request latency, default 40
  --runs=<n>            BENCH_RUNS        runs per variant, default 3 (1 with --quick)
  --quick               BENCH_QUICK=1     one run each, smaller scroll document, for a smoke test
  --skip-build          BENCH_SKIP_BUILD=1 reuse bench/.out instead of building the element
  --only=<a,b>          BENCH_ONLY        scenarios: first-page, jump, memory, footprint
  --documents=<a,b>     BENCH_DOCUMENTS   first-page documents whose file name contains one of these,
                                          e.g. 400p, text, linearized (see bench/documents.ts)
  --protocols=<a,b>     BENCH_PROTOCOLS   http1, http2 or both (default): first-page runs go over each,
                                          the other scenarios over the first
  --http2               BENCH_HTTP2=1     HTTP/2 only (over TLS, certificate made at start)
  --range-modes=<a,b>   BENCH_RANGE_MODES how the server answers several ranges in one request:
                                          multi (multipart/byteranges), single-200 (the whole file, as
                                          Express's send does), single-416; default all three for the
                                          first-page runs, the other scenarios use multi
  CHROME_PATH                             browser, default /usr/bin/chromium`;

const list = (raw: string | undefined): string[] => (raw ?? '').split(',').map((s) => s.trim()).filter(Boolean);

export function readConfig(argv: readonly string[], env: NodeJS.ProcessEnv): BenchConfig {
  const flags = new Map<string, string>();
  for (const arg of argv) {
    if (arg === '--help' || arg === '-h') {
      console.log(usage);
      process.exit(0);
    }
    const match = /^--([a-z0-9-]+)(?:=(.*))?$/.exec(arg);
    if (!match) throw new Error(`Unknown argument ${arg}\n${usage}`);
    flags.set(match[1]!, match[2] ?? 'true');
  }
  const pick = (flag: string, name: string): string | undefined => flags.get(flag) ?? env[name];
  const number = (flag: string, name: string, fallback: number): number => {
    const raw = pick(flag, name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || value <= 0) throw new Error(`--${flag} must be a positive number, got ${raw}`);
    return value;
  };
  const yes = (flag: string, name: string): boolean => ['1', 'true', 'yes'].includes(pick(flag, name) ?? '');
  const quick = yes('quick', 'BENCH_QUICK');
  const chosen = list(pick('protocols', 'BENCH_PROTOCOLS'));
  for (const name of chosen) {
    if (!protocols.includes(name as Protocol)) throw new Error(`--protocols takes ${protocols.join(', ')}, got ${name}`);
  }
  const modes = list(pick('range-modes', 'BENCH_RANGE_MODES'));
  for (const name of modes) {
    if (!rangeModes.includes(name as RangeMode)) throw new Error(`--range-modes takes ${rangeModes.join(', ')}, got ${name}`);
  }
  return {
    bandwidth: number('bandwidth', 'BENCH_BANDWIDTH', 4) * 1_000_000,
    latencyMs: number('latency', 'BENCH_LATENCY', 40),
    runs: Math.round(number('runs', 'BENCH_RUNS', quick ? 1 : 3)),
    quick,
    skipBuild: yes('skip-build', 'BENCH_SKIP_BUILD'),
    chromiumPath: env['CHROME_PATH'] ?? '/usr/bin/chromium',
    only: list(pick('only', 'BENCH_ONLY')),
    documents: list(pick('documents', 'BENCH_DOCUMENTS')),
    rangeModes: modes.length > 0 ? [...new Set(modes as RangeMode[])] : [...rangeModes],
    protocols: chosen.length > 0 ? [...new Set(chosen as Protocol[])] : yes('http2', 'BENCH_HTTP2') ? ['http2'] : [...protocols],
  };
}
