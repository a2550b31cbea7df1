// `npm test`: the type-check (one check per TypeScript project), the backend suite (node:test),
// the browser suite (web-test-runner in Chromium, then part of it in Firefox and in WebKit), the
// package build, and the end-to-end suite (node:test driving Chromium, using the build), then one
// closing line for the whole run, every engine counted: "N passed, N failed". It needs nothing but
// `npm install` (and .ci/run's browsers) before it.
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { ENGINES } from './wtr-engines.mjs';

// Node 20's test runner takes no globs: list the test files here.
function testFiles(dir) {
  try {
    return readdirSync(dir)
      .filter((name) => name.endsWith('.test.ts'))
      .sort()
      .map((name) => `${dir}/${name}`);
  } catch {
    return [];
  }
}
// The backend: the library (secure-viewer/server) and the reference app built on it.
const serverTests = [...testFiles('server/test'), ...testFiles('demo/server/test')];
// Node-side tests that drive Chromium (demo pages, built packages) or import the package in Node.
const nodeTests = [...testFiles('test/ssr'), ...testFiles('test/e2e')];
const nodeTestCount = (out) => ({ passed: last(out, /^ℹ pass (\d+)$/m), failed: last(out, /^ℹ fail (\d+)$/m) });
// The spec reporter marks a failing test (and the suites around it) with ✖.
const nodeFailures = (out) =>
  [...out.matchAll(/^\s*✖ (.+?)(?: \([\d.]+ms\))?$/gm)].map((m) => m[1]).filter((name) => name !== 'failing tests:');

/** A command that passes or fails as a whole counts as one check. */
const oneCheck = (_out, code) => (code === 0 ? { passed: 1, failed: 0 } : { passed: 0, failed: 1 });
const tsc = 'node_modules/typescript/bin/tsc';

const suites = [
  ...['tsconfig.json', 'tsconfig.server.json', 'tsconfig.e2e.json', 'bench/tsconfig.json'].map((project) => ({
    name: 'typecheck',
    label: `tsc -p ${project}`,
    command: 'node',
    args: [tsc, '-p', project],
    count: oneCheck,
  })),
  {
    name: 'server',
    command: 'node',
    args: ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=1', ...serverTests],
    count: nodeTestCount,
    failures: nodeFailures,
  },
  // The browser suite once per engine (scripts/wtr-engines.mjs): Chromium runs every file, Firefox
  // and WebKit their part of it. One engine after the other: in parallel, the 2-core machines CI
  // runs on make timing-sensitive tests fail for load alone.
  ...ENGINES.map((engine) => ({
    name: 'browser',
    engine,
    label: engine === 'chromium' ? undefined : `web-test-runner in ${engine}`,
    command: 'npx',
    args: ['web-test-runner', ...process.argv.slice(2)],
    env: { SV_ENGINE: engine },
    count: (out) => {
      const match = [...out.matchAll(/web-test-runner \(\w+\): (\d+) passed, (\d+) failed/g)].at(-1);
      return match ? { passed: Number(match[1]), failed: Number(match[2]) } : { passed: 0, failed: null };
    },
    failures: (out) => [...out.matchAll(/^web-test-runner \(\w+\) failed: (.+)$/gm)].map((m) => `${engine}: ${m[1]}`),
  })),
  {
    // Always rebuilt (a few seconds): the end-to-end suite must never test a stale dist/.
    name: 'build',
    label: 'npm run build',
    command: 'npm',
    args: ['run', 'build', '--silent'],
    count: oneCheck,
    alsoFor: 'e2e',
    skip: nodeTests.length === 0,
  },
  {
    name: 'e2e',
    command: 'node',
    args: ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=1', ...nodeTests],
    count: nodeTestCount,
    failures: nodeFailures,
    skip: nodeTests.length === 0,
  },
];

const only = process.env.SV_TEST_SUITE;
// SV_ENGINE narrows the browser suite to one engine.
const onlyEngine = process.env.SV_ENGINE;
let passed = 0;
let failed = 0;
const failures = [];
for (const suite of suites) {
  if ((only && only !== suite.name && only !== suite.alsoFor) || suite.skip) continue;
  if (onlyEngine && suite.engine && suite.engine !== onlyEngine) continue;
  if (suite.label) process.stdout.write(`\n> ${suite.label}\n`);
  const { code, output } = await run(suite.command, suite.args, suite.env);
  const counts = suite.count(output, code);
  if (suite.label) process.stdout.write(`${code === 0 ? '✔' : '✖'} ${suite.label}\n`);
  passed += counts.passed ?? 0;
  // A suite that crashed before reporting counts as one failure.
  failed += counts.failed ?? 1;
  if (code !== 0 && !counts.failed) failed += 1;
  if (code !== 0) {
    const named = [...new Set(suite.failures?.(output) ?? [])];
    failures.push(...(named.length ? named : [`${suite.label ?? suite.name} (exit code ${code})`]));
  }
}
if (failures.length) process.stdout.write(`\nFailed:\n${failures.map((name) => `  ✖ ${name}`).join('\n')}\n`);
process.stdout.write(`\n${passed} passed, ${failed} failed\n`);
process.exit(failed > 0 ? 1 : 0);

function last(text, pattern) {
  const all = [...text.matchAll(new RegExp(pattern.source, 'gm'))];
  return all.length ? Number(all.at(-1)[1]) : null;
}

function run(command, args, env = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'], shell: false, env: { ...process.env, ...env } });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
      process.stdout.write(chunk);
    });
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}
