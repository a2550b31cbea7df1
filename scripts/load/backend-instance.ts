// One reference backend for the load check, in its own process: `ready <url> [api key]` on
// stdout once listening, then its audit lines. Settings come from the environment:
// SV_DATA_DIR, SV_REDIS_URL (optional), SV_TRUSTED_PROXIES (optional).
import { parseTrustedProxies } from '../../server/client-address.ts';
import { startBackend } from '../../demo/server/app.ts';

const dataDir = process.env['SV_DATA_DIR'];
if (!dataDir) throw new Error('SV_DATA_DIR is required');
const backend = await startBackend({
  port: 0,
  dataDir,
  ...(process.env['SV_REDIS_URL'] ? { redisUrl: process.env['SV_REDIS_URL'] } : {}),
  trustedProxies: parseTrustedProxies((process.env['SV_TRUSTED_PROXIES'] ?? '').split(',').filter(Boolean)),
  // Request lines would cost more than the serving they describe; audit lines are kept.
  log: (line) => {
    if (line.includes(' audit ')) console.log(line);
  },
});
// An instance that found keys already made has none to tell: then the line ends at the URL.
console.log(backend.apiKey ? `ready ${backend.url} ${backend.apiKey}` : `ready ${backend.url}`);
process.on('SIGTERM', () => void backend.close().then(() => process.exit(0)));
