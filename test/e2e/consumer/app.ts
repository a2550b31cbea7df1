// A consumer's Vite app, made the way a new user makes one: the package installed from the
// tarball `npm pack` writes, the framework's template files, and the README's code for the rest
// (taken from README.md's code blocks, so the README cannot drift from what is tested).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, rename, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { repoRoot } from '../package-build.ts';

export type Framework = 'react' | 'vue';

/** `<!-- consumer-app: react src/App.tsx -->` followed by a fenced code block. */
export function readmeFiles(framework: Framework): Record<string, string> {
  const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
  const files: Record<string, string> = {};
  for (const match of readme.matchAll(/<!-- consumer-app: (\w+) (\S+) -->\n```[^\n]*\n([\s\S]*?)\n```/g)) {
    if (match[1] === framework) files[match[2]!] = `${match[3]}\n`;
  }
  return files;
}

/** What `npm create vite@latest -- --template <framework>-ts` gives, less its demo content. */
function templateFiles(framework: Framework): Record<string, string> {
  const html = (mount: string, entry: string) =>
    `<!doctype html>\n<html lang="en">\n  <head>\n    <meta charset="UTF-8" />\n    <title>consumer</title>\n  </head>\n  <body>\n    <div id="${mount}"></div>\n    <script type="module" src="${entry}"></script>\n  </body>\n</html>\n`;
  const viteEnv = '/// <reference types="vite/client" />\n';
  if (framework === 'react') {
    return {
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
    'index.html': html('app', '/src/main.ts'),
    'src/main.ts': "import { createApp } from 'vue';\nimport App from './App.vue';\n\ncreateApp(App).mount('#app');\n",
    'src/vite-env.d.ts': viteEnv,
  };
}

/** Packages linked from the repository's node_modules: the frameworks, Vite, and the package's own dependencies. */
const linked: Record<Framework, string[]> = {
  react: ['react', 'react-dom', 'scheduler', '@vitejs', '@types', 'vite', 'lit', 'lit-html', 'lit-element', '@lit'],
  vue: ['vue', '@vue', '@vitejs', 'vite', 'lit', 'lit-html', 'lit-element', '@lit'],
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
  const files = { ...templateFiles(framework), ...readmeFiles(framework), '.env.local': `VITE_BACKEND_URL=${backendUrl}\n` };
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
  for (const name of linked[framework]) await symlink(path.join(repoRoot, 'node_modules', name), path.join(modules, name), 'dir');
}

/** `vite build` with the app's own Vite, as `npm run build` would run it. */
export function viteBuild(dir: string): Promise<{ code: number; output: string }> {
  return run(process.execPath, [path.join(dir, 'node_modules/vite/bin/vite.js'), 'build'], dir, { ...process.env, NO_COLOR: '1' });
}

/** The app's type-check, with the repository's TypeScript. */
export function typeCheck(dir: string): Promise<{ code: number; output: string }> {
  return run(process.execPath, [path.join(repoRoot, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], dir);
}
