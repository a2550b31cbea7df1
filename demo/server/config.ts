// The one place that reads the environment, for both `npm run serve` and `npm start`. Every value
// is checked here, before anything is seeded or written, so a bad setting ends the process with
// one readable line instead of a stack trace halfway through start-up.
import { access, constants, mkdir, rm, writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import path from 'node:path';
import { parseTrustedProxies, type TrustedProxies } from '../../server/index.ts';

/** A setting that cannot work; the message names the variable and what it expects. */
export class ConfigError extends Error {}

export interface ServerConfig {
  port: number;
  host: string;
  dataDir: string;
  apiKey: string | undefined;
  allowedOrigins: string[];
  /** Origins this server is reached at besides its own listen address (behind a proxy). */
  publicOrigins: string[];
  trustedProxies: TrustedProxies;
  redisUrl: string | undefined;
  maxConnections: number;
}

export type Environment = Record<string, string | undefined>;

const HOSTNAME = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const DEFAULT_MAX_CONNECTIONS = 1000;
/** An API key shorter than this is guessable; generated keys have 43 characters. */
const MIN_API_KEY_LENGTH = 32;

function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

function integer(name: string, value: string | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined || value.trim() === '') return fallback;
  const text = value.trim();
  if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, got "${value}"`);
  }
  return Number(text);
}

/** An origin is exactly scheme://host[:port], as browsers send it in the Origin header. */
function origins(name: string, value: string | undefined): string[] {
  return list(value).map((origin) => {
    let parsed: URL | null = null;
    try {
      parsed = new URL(origin);
    } catch {
      // reported below
    }
    if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') || parsed.origin !== origin) {
      throw new ConfigError(`${name} must list origins like https://app.example (scheme, host, optional port; no path), got "${origin}"`);
    }
    return origin;
  });
}

function host(value: string | undefined): string {
  const text = (value ?? '127.0.0.1').trim();
  if (isIP(text) === 0 && !HOSTNAME.test(text)) throw new ConfigError(`HOST must be an IP address or a host name, got "${value}"`);
  return text;
}

function redisUrl(value: string | undefined): string | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  let parsed: URL | null = null;
  try {
    parsed = new URL(value.trim());
  } catch {
    // reported below
  }
  if (!parsed || (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') || parsed.hostname === '') {
    throw new ConfigError('SV_REDIS_URL must look like redis://host:6379 or rediss://user:password@host:6380/0');
  }
  return value.trim();
}

/** Parses and checks every variable; touches nothing on disk. */
export function parseConfig(env: Environment, defaultDataDir: string): ServerConfig {
  const apiKey = env['SV_API_KEY']?.trim() || undefined;
  if (apiKey !== undefined && apiKey.length < MIN_API_KEY_LENGTH) {
    throw new ConfigError(`SV_API_KEY must be at least ${MIN_API_KEY_LENGTH} characters (leave it unset to have one generated)`);
  }
  let trustedProxies: TrustedProxies;
  try {
    trustedProxies = parseTrustedProxies(list(env['SV_TRUSTED_PROXIES']));
  } catch (error) {
    throw new ConfigError(`SV_TRUSTED_PROXIES: ${(error as Error).message}`);
  }
  const dataDirText = env['SV_DATA_DIR']?.trim();
  return {
    port: integer('PORT', env['PORT'], 5173, 0, 65535),
    host: host(env['HOST']),
    dataDir: path.resolve(dataDirText || defaultDataDir),
    apiKey,
    allowedOrigins: origins('SV_ALLOWED_ORIGINS', env['SV_ALLOWED_ORIGINS']),
    publicOrigins: origins('SV_PUBLIC_ORIGIN', env['SV_PUBLIC_ORIGIN']),
    trustedProxies,
    redisUrl: redisUrl(env['SV_REDIS_URL']),
    maxConnections: integer('SV_MAX_CONNECTIONS', env['SV_MAX_CONNECTIONS'], DEFAULT_MAX_CONNECTIONS, 1, 1_000_000),
  };
}

/**
 * Creates a folder and its missing parents one level at a time. (A recursive mkdir below /proc
 * never returns on Node 20: the kernel answers ENOENT for a folder that exists.)
 */
async function makeFolder(dir: string): Promise<void> {
  try {
    await mkdir(dir, { mode: 0o700 });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return;
    const parent = path.dirname(dir);
    if (code !== 'ENOENT' || parent === dir) throw error;
    await makeFolder(parent);
    await mkdir(dir, { mode: 0o700 }).catch((again: NodeJS.ErrnoException) => {
      if (again.code !== 'EEXIST') throw again;
    });
  }
}

/** What `npm run serve` and `npm start` both hand the backend from one parsed configuration. */
export function backendOptions(config: ServerConfig) {
  return {
    port: config.port,
    host: config.host,
    dataDir: config.dataDir,
    ...(config.apiKey ? { apiKey: config.apiKey } : {}),
    ...(config.redisUrl ? { redisUrl: config.redisUrl } : {}),
    allowedOrigins: config.allowedOrigins,
    publicOrigins: config.publicOrigins,
    trustedProxies: config.trustedProxies,
  };
}

/**
 * Checks that the data folder can be created and written, within a few seconds: some file
 * systems (/proc, a dead network mount) fail slowly or never.
 */
export async function checkDataDir(dataDir: string, timeoutMs = 5000): Promise<void> {
  const probe = async (): Promise<void> => {
    await makeFolder(dataDir);
    await access(dataDir, constants.W_OK);
    const file = path.join(dataDir, `.write-check-${process.pid}-${Date.now()}`);
    await writeFile(file, '', { mode: 0o600 });
    await rm(file, { force: true });
  };
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ConfigError(`SV_DATA_DIR "${dataDir}" did not answer within ${timeoutMs / 1000} s`)), timeoutMs);
  });
  try {
    await Promise.race([probe(), timeout]);
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new ConfigError(`SV_DATA_DIR "${dataDir}" is not a writable folder (${code})`);
  } finally {
    clearTimeout(timer);
  }
}
