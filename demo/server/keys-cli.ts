// `npm run keys -- create|list|revoke`: API keys of the reference backend from the command line,
// on the same state the server uses (the data folder, or SV_REDIS_URL). A running server sees the
// change at its next request. Results go to stdout (a new key there, this once), audit lines to
// stderr, as the server writes them. `signing-keys`, `rotate-signing-key` and
// `retire-signing-key <kid>` do the same for the token signing keys (running servers hear of it
// within a minute, or at once through Redis).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import {
  API_KEY_SCOPES,
  ApiKeyRegistry,
  createRedisStore,
  FileApiKeys,
  FileSigningKeys,
  isApiKeyScope,
  loadOrCreateSigningKeys,
  SigningKeyRing,
  type ApiKeyStore,
  type SigningKeyStore,
} from '../../server/index.ts';
import { describeApiKey } from './api-keys-api.ts';
import { ConfigError, checkDataDir, parseConfig } from './config.ts';
import { startOrExit } from './startup.ts';

const USAGE = `usage:
  npm run keys -- create <name> --scopes ${API_KEY_SCOPES.join(',')} [--test]
  npm run keys -- list
  npm run keys -- revoke <id>
  npm run keys -- signing-keys | rotate-signing-key | retire-signing-key <kid>`;

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

function option(args: string[], name: string): string | undefined {
  const index = args.indexOf(name);
  return index < 0 ? undefined : args[index + 1];
}

interface OpenedKeys {
  store: ApiKeyStore;
  signing: SigningKeyStore;
  dataDir: string;
  configured: string | undefined;
  close(): Promise<void>;
}

async function openKeys(): Promise<OpenedKeys> {
  const config = parseConfig(process.env, path.join(repoRoot, '.data'));
  const common = { dataDir: config.dataDir, configured: config.apiKey };
  if (config.redisUrl) {
    const shared = await createRedisStore({ url: config.redisUrl });
    return { ...common, store: shared.apiKeys!, signing: shared.signingKeys!, close: () => shared.close() };
  }
  await checkDataDir(config.dataDir);
  // Only the key files: the rest of the data folder belongs to the running server.
  return { ...common, store: new FileApiKeys(config.dataDir), signing: new FileSigningKeys(path.join(config.dataDir, 'keys')), close: async () => {} };
}

const COMMANDS = ['create', 'list', 'revoke', 'signing-keys', 'rotate-signing-key', 'retire-signing-key'];

const audit = (line: string): void => void process.stderr.write(`${new Date().toISOString()} audit ${line} source=cli\n`);

const [command, ...args] = process.argv.slice(2);
const opened = await startOrExit(async () => {
  if (!COMMANDS.includes(command ?? '')) throw new ConfigError(`unknown command "${command ?? ''}"\n${USAGE}`);
  return openKeys();
});
const registry = new ApiKeyRegistry({
  store: { apiKeys: opened.store, limiter: (rule) => new RateLimiterMemory({ points: rule.points, duration: rule.durationSeconds }) },
  audit,
  configured: opened.configured ? [{ name: 'SV_API_KEY', key: opened.configured }] : [],
});

/** The signing key commands; the data folder's key is the set's first, as for the server. */
async function signingKeys(command: string, kid: string | undefined): Promise<number> {
  const ring = await SigningKeyRing.open(opened.signing, { first: () => loadOrCreateSigningKeys(opened.dataDir) });
  try {
    if (command === 'rotate-signing-key') {
      const added = await ring.rotate();
      audit(`signingkey.rotate kid=${added.kid}`);
    } else if (command === 'retire-signing-key') {
      if (!kid || !(await ring.retire(kid))) {
        process.stdout.write('unknown\n');
        return 1;
      }
      audit(`signingkey.retire kid=${kid}`);
    }
    for (const key of ring.list()) process.stdout.write(`${JSON.stringify({ kid: key.kid, created_at: new Date(key.createdAt).toISOString(), signing: key.signing })}\n`);
    return 0;
  } finally {
    ring.close();
  }
}

let status = 0;
try {
  if (command === 'create') {
    const name = args[0];
    const scopes = (option(args, '--scopes') ?? '').split(',').filter(Boolean);
    if (!name || name.startsWith('--') || scopes.length === 0 || !scopes.every(isApiKeyScope)) {
      process.stderr.write(`secure-viewer: create needs a name and --scopes (some of ${API_KEY_SCOPES.join(', ')})\n${USAGE}\n`);
      status = 2;
    } else {
      const { key, info } = await registry.create({ name, scopes, environment: args.includes('--test') ? 'test' : 'live' });
      process.stdout.write(`${JSON.stringify(describeApiKey(info))}\nkey (shown only now): ${key}\n`);
    }
  } else if (command === 'list') {
    for (const info of await registry.list()) process.stdout.write(`${JSON.stringify(describeApiKey(info))}\n`);
  } else if (command === 'revoke') {
    const outcome = args[0] ? await registry.revoke(args[0]) : 'unknown';
    process.stdout.write(`${outcome}\n`);
    if (outcome !== 'revoked') status = 1;
  } else {
    status = await signingKeys(command!, args[0]);
  }
} catch (error) {
  process.stderr.write(`secure-viewer: ${error instanceof Error ? error.message : String(error)}\n`);
  status = error instanceof RangeError ? 2 : 1;
} finally {
  await opened.close();
}
process.exit(status);
