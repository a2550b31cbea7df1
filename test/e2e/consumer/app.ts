// A consumer's app, made the way a new user makes one: the package installed from the tarball
// `npm pack` writes, the framework's or bundler's template files, and the README's code for the
// rest (taken from README.md's code blocks, so the README cannot drift from what is tested).
// Vite with React and with Vue, webpack 5 and Rollup with no framework, and Next.js's App Router.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rename, symlink, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import path from 'node:path';
import { repoRoot } from '../package-build.ts';

export type Framework = 'react' | 'vue' | 'webpack' | 'rollup' | 'next';

/** `<!-- consumer-app: react src/App.tsx -->` followed by a fenced code block. */
export function readmeFiles(framework: Framework): Record<string, string> {
  const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
  const files: Record<string, string> = {};
  for (const match of readme.matchAll(/<!-- consumer-app: (\w+) (\S+) -->\n```[^\n]*\n([\s\S]*?)\n```/g)) {
    if (match[1] === framework) files[match[2]!] = `${match[3]}\n`;
  }
  return files;
}

/**
 * What `npm create vite@latest -- --template <framework>-ts` gives, less its demo content; for
 * webpack and Rollup, a page and a plain module with the drop-in's code; for Next.js, what
 * `create-next-app` gives (JavaScript, App Router) less its demo content and fonts.
 */
function templateFiles(framework: Framework, backendUrl: string): Record<string, string> {
  if (framework === 'webpack' || framework === 'rollup') return plainFiles(framework, backendUrl);
  if (framework === 'next') return nextFiles(backendUrl);
  const html = (mount: string, entry: string) =>
    `<!doctype html>\n<html lang="en">\n  <head>\n    <meta charset="UTF-8" />\n    <title>consumer</title>\n  </head>\n  <body>\n    <div id="${mount}"></div>\n    <script type="module" src="${entry}"></script>\n  </body>\n</html>\n`;
  const viteEnv = '/// <reference types="vite/client" />\n';
  const env = `VITE_BACKEND_URL=${backendUrl}\n`;
  if (framework === 'react') {
    return {
      '.env.local': env,
      'index.html': html('root', '/src/main.tsx'),
      'vite.config.ts': "import { defineConfig } from 'vite';\nimport react from '@vitejs/plugin-react';\n\nexport default defineConfig({ plugins: [react()] });\n",
      'src/main.tsx':
        "import { StrictMode } from 'react';\nimport { createRoot } from 'react-dom/client';\nimport App from './App.tsx';\n\ncreateRoot(document.getElementById('root')!).render(\n  <StrictMode>\n    <App />\n  </StrictMode>,\n);\n",
      'src/vite-env.d.ts': viteEnv,
      // The template's tsconfig.app.json: strict, unused locals and parameters are errors.
      'tsconfig.json': JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          useDefineForClassFields: true,
          lib: ['ES2022', 'DOM', 'DOM.Iterable'],
          module: 'ESNext',
          types: ['vite/client'],
          skipLibCheck: true,
          moduleResolution: 'bundler',
          allowImportingTsExtensions: true,
          verbatimModuleSyntax: true,
          moduleDetection: 'force',
          noEmit: true,
          jsx: 'react-jsx',
          strict: true,
          noUnusedLocals: true,
          noUnusedParameters: true,
          erasableSyntaxOnly: true,
          noFallthroughCasesInSwitch: true,
          noUncheckedSideEffectImports: true,
        },
        include: ['src'],
      }),
    };
  }
  return {
    '.env.local': env,
    'index.html': html('app', '/src/main.ts'),
    'src/main.ts': "import { createApp } from 'vue';\nimport App from './App.vue';\n\ncreateApp(App).mount('#app');\n",
    'src/vite-env.d.ts': viteEnv,
  };
}

/** The element in a page, and a module that imports the package and sets the element up as the drop-in does. */
function plainFiles(framework: 'webpack' | 'rollup', backendUrl: string): Record<string, string> {
  // webpack's default output is a classic script (dist/main.js); Rollup's an ES module.
  const script = framework === 'webpack' ? '<script defer src="/main.js"></script>' : '<script type="module" src="/index.js"></script>';
  return {
    'index.html': `<!doctype html>\n<html lang="en">\n  <head>\n    <meta charset="UTF-8" />\n    <title>consumer</title>\n    ${script}\n  </head>\n  <body>\n    <secure-viewer style="height: 80vh"></secure-viewer>\n  </body>\n</html>\n`,
    'src/index.js': `import 'secure-viewer';

const backend = ${JSON.stringify(backendUrl)};
const doc = new URLSearchParams(location.search).get('doc') ?? 'sample';
const viewer = document.querySelector('secure-viewer');
viewer.renewToken = async () => {
  const body = await (await fetch(\`\${backend}/demo/session-token?doc=\${encodeURIComponent(doc)}\`, { method: 'POST' })).json();
  return { token: body.token, expiresAt: Date.now() + body.expires_in * 1000 };
};
viewer.src = \`\${backend}/api/documents/\${encodeURIComponent(doc)}/content\`;
`,
  };
}

function nextFiles(backendUrl: string): Record<string, string> {
  return {
    '.env.local': `NEXT_PUBLIC_BACKEND_URL=${backendUrl}\n`,
    'app/layout.jsx':
      "export const metadata = { title: 'consumer' };\n\nexport default function RootLayout({ children }) {\n  return (\n    <html lang=\"en\">\n      <body>{children}</body>\n    </html>\n  );\n}\n",
    // Not a user's setting: Turbopack compiles nothing outside its root, and this app's packages
    // are links into the repository's node_modules (an installed app needs no next.config).
    'next.config.mjs': 'export default { turbopack: { root: "/" } };\n',
  };
}

/** Packages linked from the repository's node_modules: the frameworks, the bundlers, and the package's own dependencies. */
const lit = ['lit', 'lit-html', 'lit-element', '@lit'];
const linked: Record<Framework, string[]> = {
  react: ['react', 'react-dom', 'scheduler', '@vitejs', '@types', 'vite', ...lit],
  vue: ['vue', '@vue', '@vitejs', 'vite', ...lit],
  webpack: ['webpack', 'webpack-cli', ...lit],
  rollup: ['rollup', '@rollup/plugin-node-resolve', '@web/rollup-plugin-import-meta-assets', ...lit],
  next: ['next', 'react', 'react-dom', 'scheduler', ...lit],
};

export function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

/**
 * Writes the app and installs the tarball into it as npm does (unpacked into
 * node_modules/secure-viewer); the other packages are linked, not downloaded.
 */
export async function createApp(dir: string, framework: Framework, tarball: string, backendUrl: string): Promise<void> {
  const files = { ...templateFiles(framework, backendUrl), ...readmeFiles(framework) };
  for (const [file, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await writeFile(path.join(dir, file), text);
  }
  await writeFile(path.join(dir, 'package.json'), JSON.stringify({ name: `consumer-${framework}`, private: true, type: 'module' }));
  const modules = path.join(dir, 'node_modules');
  await mkdir(modules, { recursive: true });
  const untar = await run('tar', ['-xzf', tarball, '-C', modules], dir);
  if (untar.code !== 0) throw new Error(untar.output);
  await rename(path.join(modules, 'package'), path.join(modules, 'secure-viewer'));
  for (const name of linked[framework]) {
    await mkdir(path.dirname(path.join(modules, name)), { recursive: true });
    await symlink(path.join(repoRoot, 'node_modules', name), path.join(modules, name), 'dir');
  }
}

/** Next.js's telemetry stays off: nothing leaves the machine. */
const nextEnv = { ...process.env, NO_COLOR: '1', NEXT_TELEMETRY_DISABLED: '1' };

/** The app's build with its own bundler, as its `npm run build` would run it. */
export function build(dir: string, framework: Framework): Promise<{ code: number; output: string }> {
  const bin = (file: string) => path.join(dir, 'node_modules', file);
  const env = { ...process.env, NO_COLOR: '1' };
  switch (framework) {
    case 'webpack':
      // No configuration: webpack 5's defaults (src/index.js to dist/main.js). Not minified: that
      // would only minify pdf.js's minified files again (18 s of CPU) and moves no file.
      return run(process.execPath, [bin('webpack/bin/webpack.js'), '--mode', 'production', '--no-optimization-minimize'], dir, env);
    case 'rollup':
      return run(process.execPath, [bin('rollup/dist/bin/rollup'), '-c'], dir, env);
    case 'next':
      // Next.js 16 builds with Turbopack, lints nothing, and has no TypeScript to check here.
      return run(process.execPath, [bin('next/dist/bin/next'), 'build'], dir, nextEnv);
    default:
      return run(process.execPath, [bin('vite/bin/vite.js'), 'build'], dir, env);
  }
}

/**
 * The file of the app's build that the app's server answers for a path, or null when it has none:
 * the static apps serve their output folder, Next.js serves `.next/static/` at `/_next/static/`.
 */
export function builtFile(dir: string, framework: Framework | 'drop-in', pathname: string): string | null {
  const [root, prefix] = framework === 'next' ? [path.join(dir, '.next/static'), '/_next/static/'] : [path.join(dir, 'dist'), '/'];
  if (!pathname.startsWith(prefix)) return null;
  const file = path.join(root, decodeURIComponent(pathname.slice(prefix.length)));
  return file.startsWith(root + path.sep) && existsSync(file) ? file : null;
}

/** `next start` on a free loopback port, once it answers; the origin and a way to stop it. */
export async function nextStart(dir: string): Promise<{ origin: string; stop: () => void }> {
  const port = await freePort();
  const child = spawn(process.execPath, [path.join(dir, 'node_modules/next/dist/bin/next'), 'start', '-H', '127.0.0.1', '-p', String(port)], {
    cwd: dir,
    env: nextEnv,
    stdio: 'ignore',
  });
  const origin = `http://127.0.0.1:${port}`;
  const stop = () => void child.kill();
  for (const deadline = Date.now() + 30_000; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 200))) {
    if (child.exitCode !== null) break;
    if (await fetch(origin, { method: 'HEAD' }).then(() => true, () => false)) return { origin, stop };
  }
  stop();
  throw new Error(`next start did not answer on ${origin}`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** The app's type-check, with the repository's TypeScript. */
export function typeCheck(dir: string): Promise<{ code: number; output: string }> {
  return run(process.execPath, [path.join(repoRoot, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], dir);
}
