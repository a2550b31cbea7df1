// Refresh families in Redis. Rotation, reuse detection and the grace window run in one Lua script,
// so two instances handling the same token at the same moment cannot both rotate it. Redis holds
// hashes only: the successor kept for the grace window is encrypted with a key derived from the
// token it replaces, which only its holder has.
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { openGraceSuccessor, sealGraceSuccessor } from '../grace-successor.ts';
import { FAMILY_LIFETIME_MS, IDLE_TIMEOUT_MS, REUSE_GRACE_MS, hashRefreshToken, newRefreshToken } from '../refresh-policy.ts';
import type { RefreshFamilies, RotateResult } from './shared-store.ts';

// Keys (under the prefix): rf:<family> hash; rt:<token hash> → family id (kept for the family's
// lifetime, so a rotated token is recognised as reuse); rg:<rotated hash> → "<successor hash>|<sealed
// successor>" for the grace window; rfs:<doc> sorted set of live family ids scored by their end, so
// it sheds dead families (rfd:<doc>, a plain set of earlier versions, is only read to revoke).
const CREATE = `
local family, index = KEYS[1], KEYS[3]
local now, lifetime = tonumber(ARGV[3]), tonumber(ARGV[5])
redis.call('HSET', family, 'doc', ARGV[1], 'expiresAt', ARGV[2], 'lastUsedAt', ARGV[3], 'revoked', '0', 'current', ARGV[4])
redis.call('PEXPIRE', family, lifetime)
redis.call('SET', KEYS[2], ARGV[6], 'PX', lifetime)
redis.call('ZREMRANGEBYSCORE', index, '-inf', now)
redis.call('ZADD', index, ARGV[2], ARGV[6])
redis.call('PEXPIRE', index, lifetime)
return 1`;

const ROTATE = `
local prefix, tokenHash, doc = ARGV[1], ARGV[2], ARGV[3]
local now, sealed, successorHash = tonumber(ARGV[4]), ARGV[5], ARGV[6]
local grace, idle = tonumber(ARGV[7]), tonumber(ARGV[8])
local familyId = redis.call('GET', prefix .. 'rt:' .. tokenHash)
if not familyId then return {'invalid'} end
local family = prefix .. 'rf:' .. familyId
local index = prefix .. 'rfs:' .. doc
local f = redis.call('HMGET', family, 'doc', 'expiresAt', 'lastUsedAt', 'revoked', 'current')
if not f[1] or f[1] ~= doc or f[4] == '1' then return {'invalid'} end
local expiresAt = tonumber(f[2])
if now >= expiresAt or now - tonumber(f[3]) > idle then
  redis.call('HSET', family, 'revoked', '1')
  redis.call('ZREM', index, familyId)
  return {'invalid'}
end
local maxAge = tostring(math.max(0, math.floor((expiresAt - now) / 1000)))
if tokenHash ~= f[5] then
  local kept = redis.call('GET', prefix .. 'rg:' .. tokenHash)
  if kept then
    local separator = string.find(kept, '|', 1, true)
    if string.sub(kept, 1, separator - 1) == f[5] then return {'grace', maxAge, string.sub(kept, separator + 1)} end
  end
  redis.call('HSET', family, 'revoked', '1')
  redis.call('ZREM', index, familyId)
  return {'reuse'}
end
redis.call('HSET', family, 'current', successorHash, 'lastUsedAt', tostring(now))
redis.call('SET', prefix .. 'rt:' .. successorHash, familyId, 'PX', tostring(math.max(1, expiresAt - now)))
redis.call('SET', prefix .. 'rg:' .. tokenHash, successorHash .. '|' .. sealed, 'PX', tostring(grace))
return {'ok', maxAge}`;

const REVOKE_DOCUMENT = `
local ids = redis.call('ZRANGE', KEYS[1], 0, -1)
if redis.call('TYPE', KEYS[2])['ok'] == 'set' then
  for _, id in ipairs(redis.call('SMEMBERS', KEYS[2])) do table.insert(ids, id) end
end
for _, id in ipairs(ids) do
  local family = ARGV[1] .. 'rf:' .. id
  if redis.call('EXISTS', family) == 1 then redis.call('HSET', family, 'revoked', '1') end
end
redis.call('DEL', KEYS[1], KEYS[2])
return 1`;

export class RedisRefreshFamilies implements RefreshFamilies {
  constructor(
    private readonly client: Redis,
    private readonly prefix: string,
    private readonly now: () => number = Date.now,
  ) {}

  async create(doc: string): Promise<{ token: string; maxAgeSeconds: number }> {
    const now = this.now();
    const token = newRefreshToken();
    const id = randomUUID();
    const keys = [`${this.prefix}rf:${id}`, `${this.prefix}rt:${hashRefreshToken(token)}`, `${this.prefix}rfs:${doc}`];
    await this.client.eval(CREATE, keys.length, ...keys, doc, String(now + FAMILY_LIFETIME_MS), String(now), hashRefreshToken(token), String(FAMILY_LIFETIME_MS), id);
    return { token, maxAgeSeconds: Math.floor(FAMILY_LIFETIME_MS / 1000) };
  }

  async rotate(token: string, doc: string): Promise<RotateResult> {
    const successor = newRefreshToken();
    const reply = (await this.client.eval(
      ROTATE,
      0,
      this.prefix,
      hashRefreshToken(token),
      doc,
      String(this.now()),
      sealGraceSuccessor(token, successor),
      hashRefreshToken(successor),
      String(REUSE_GRACE_MS),
      String(IDLE_TIMEOUT_MS),
    )) as [string, string?, string?];
    if (reply[0] === 'ok') return { kind: 'ok', token: successor, doc, maxAgeSeconds: Number(reply[1]) };
    if (reply[0] === 'grace') {
      const kept = openGraceSuccessor(token, reply[2]!);
      return kept === null ? { kind: 'invalid' } : { kind: 'ok', token: kept, doc, maxAgeSeconds: Number(reply[1]) };
    }
    if (reply[0] === 'reuse') return { kind: 'reuse', doc };
    return { kind: 'invalid' };
  }

  async revokeDocument(doc: string): Promise<void> {
    await this.client.eval(REVOKE_DOCUMENT, 2, `${this.prefix}rfs:${doc}`, `${this.prefix}rfd:${doc}`, this.prefix);
  }
}
