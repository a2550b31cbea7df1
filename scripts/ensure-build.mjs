// `npm start` serves the React and Vue demo apps from the built package: build it once if needed.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const needed = ['dist/index.js', 'dist/react.js', 'dist/vue.js', 'dist/cdn/secure-viewer.js'];
if (!needed.every((file) => existsSync(file))) {
  console.log('Building the package first (npm run build)…');
  const result = spawnSync('npm', ['run', 'build'], { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
