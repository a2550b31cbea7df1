// The yardstick for range serving: a bare Node static server that answers `Range: bytes=a-b`
// from one file with createReadStream, no authentication, nothing else.
import { stat } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const file = process.argv[2];
if (!file) throw new Error('usage: bare-range-server.ts <file>');
const { size } = await stat(file);

const server = createServer((req, res) => {
  const match = /^bytes=(\d+)-(\d+)$/.exec(req.headers.range ?? '');
  const start = match ? Number(match[1]) : 0;
  const end = match ? Math.min(Number(match[2]), size - 1) : size - 1;
  res.writeHead(match ? 206 : 200, {
    'Content-Type': 'application/pdf',
    'Content-Length': String(end - start + 1),
    ...(match ? { 'Content-Range': `bytes ${start}-${end}/${size}` } : {}),
  });
  createReadStream(file, { start, end }).pipe(res);
});
// Ends on SIGTERM the way the backend does, so profiles asked for by Node flags are written.
process.on('SIGTERM', () => process.exit(0));
server.listen(0, '127.0.0.1', () => {
  console.log(`ready http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
