// What `npm pack` puts in the tarball: small enough (a limit that fails the build above it), each
// file once, no source maps for pdf.js or for declarations, and the licenses.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { ensurePackageBuilt, repoRoot } from './package-build.ts';

// pdf.js and its files are 6.2 MB of it; the host-side library (server rendering, stamping, the
// accountability log), the element's chunks (languages, reader events, the server-rendered mode,
// the reader of object streams) and their source maps, in both the npm and the drop-in build, the
// rest (7.66 MB when the limit was last set).
const UNPACKED_LIMIT = 8_000_000;

interface PackedFile {
  path: string;
  size: number;
}

interface PackReport {
  size: number;
  unpackedSize: number;
  files: PackedFile[];
}

let report: PackReport;

before(async () => {
  await ensurePackageBuilt();
  const { stdout } = await promisify(execFile)('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: repoRoot });
  [report] = JSON.parse(stdout) as PackReport[];
});

describe('npm pack', () => {
  test(`unpacks to at most ${UNPACKED_LIMIT / 1e6} MB`, () => {
    const mb = (bytes: number) => `${(bytes / 1e6).toFixed(2)} MB`;
    const largest = [...report.files].sort((a, b) => b.size - a.size).slice(0, 8);
    assert.ok(
      report.unpackedSize <= UNPACKED_LIMIT,
      `unpacked ${mb(report.unpackedSize)} (packed ${mb(report.size)}, ${report.files.length} files); largest:\n${largest.map((f) => `${mb(f.size)} ${f.path}`).join('\n')}`,
    );
  });

  test('ships each file once', () => {
    const byHash = new Map<string, string>();
    for (const file of report.files) {
      const hash = createHash('sha256').update(readFileSync(path.join(repoRoot, file.path))).digest('hex');
      // Tiny files (an empty adapter entry, a license stub) may legitimately match.
      if (file.size < 1024) continue;
      assert.equal(byHash.get(hash), undefined, `${file.path} is a copy of ${byHash.get(hash)}`);
      byHash.set(hash, file.path);
    }
  });

  test('no source maps for pdf.js or for declarations; our own code keeps its maps', () => {
    const maps = report.files.map((f) => f.path).filter((p) => p.endsWith('.map'));
    assert.deepEqual(maps.filter((p) => p.endsWith('.d.ts.map')), [], 'declaration maps would point at src/, which is not shipped');
    const pdfjsChunks = report.files.map((f) => f.path).filter((p) => /\/chunks\/pdf(_viewer)?(_css)?-[^/]+\.js$/.test(p));
    assert.equal(pdfjsChunks.length, 3, `pdf.js's main module, viewer and stylesheet chunks: ${pdfjsChunks.join(', ')}`);
    assert.deepEqual(maps.filter((p) => pdfjsChunks.includes(p.slice(0, -'.map'.length))), [], 'pdf.js chunks have no maps');
    assert.ok(maps.includes('dist/index.js.map') && maps.includes('dist/cdn/secure-viewer.js.map'));
    for (const file of report.files.filter((f) => f.path.endsWith('.js'))) {
      const code = readFileSync(path.join(repoRoot, file.path), 'utf8');
      const pointer = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(code)?.[1];
      if (pointer) assert.ok(maps.includes(path.posix.join(path.posix.dirname(file.path), pointer)), `${file.path} points at a shipped map`);
    }
  });

  test('carries our license and the notices of what it bundles', () => {
    const files = report.files.map((f) => f.path);
    for (const name of ['LICENSE', 'THIRD_PARTY_NOTICES', 'dist/cdn/pdfjs/LICENSE']) assert.ok(files.includes(name), name);
    assert.match(readFileSync(path.join(repoRoot, 'LICENSE'), 'utf8'), /^MIT License/);
    const notices = readFileSync(path.join(repoRoot, 'THIRD_PARTY_NOTICES'), 'utf8');
    assert.match(notices, /PDF\.js[\s\S]*Apache License/);
    assert.match(notices, /Lit[\s\S]*BSD 3-Clause/);
    // Scripting stays off, so PDF.js's JavaScript engine is not shipped.
    assert.deepEqual(files.filter((f) => /quickjs/i.test(f)), []);
  });
});
