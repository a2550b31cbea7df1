// Shared by the Node-side suites that use the built package: `npm run build` once when dist/ is
// missing or older than the sources, so `npm test` works on a fresh clone after `npm install`.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** What `npm run build` must leave behind for the package to be usable. */
export const buildOutputs = [
  'dist/index.js',
  'dist/react.js',
  'dist/vue.js',
  'dist/cdn/secure-viewer.js',
  'dist/types/index.d.ts',
  'dist/types/react.d.ts',
  'dist/types/vue.d.ts',
  'custom-elements.json',
];

const buildInputs = ['src', 'vite.config.ts', 'tsconfig.build.json', 'custom-elements-manifest.config.mjs', 'package.json'];

function newestMtime(target: string): number {
  if (!existsSync(target)) return 0;
  const stat = statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(target)) newest = Math.max(newest, newestMtime(path.join(target, entry)));
  return newest;
}

/** True when an output is missing or a source changed after the oldest output was written. */
export function buildIsStale(): boolean {
  const outputs = buildOutputs.map((file) => path.join(repoRoot, file));
  if (!outputs.every((file) => existsSync(file))) return true;
  const oldestOutput = Math.min(...outputs.map((file) => statSync(file).mtimeMs));
  const newestInput = Math.max(...buildInputs.map((input) => newestMtime(path.join(repoRoot, input))));
  return newestInput > oldestOutput;
}

let pending: Promise<void> | null = null;

/** Runs `npm run build` if the package is stale; concurrent callers share one build. */
export function ensurePackageBuilt(): Promise<void> {
  if (!buildIsStale()) return Promise.resolve();
  pending ??= new Promise<void>((resolve, reject) => {
    const child = spawn('npm', ['run', 'build'], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`npm run build failed (${code}):\n${output.slice(-4000)}`))));
  }).finally(() => {
    pending = null;
  });
  return pending;
}
