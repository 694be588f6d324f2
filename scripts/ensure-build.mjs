// `npm start`: builds only when a source is newer than the build (or the build is missing),
// so a restart with an up-to-date build starts the server at once. Usage: node scripts/ensure-build.mjs
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
/** What the build reads: the server's and the dashboard's sources and their configs. */
const INPUTS = ['src', 'scripts/build-server.mjs', 'web/src', 'web/public', 'web/index.html', 'web/vite.config.ts', 'web/tsconfig.json', 'tsconfig.json', 'package-lock.json'];
/** What it writes: the server's launcher and bundle, the dashboard's page; each is rewritten by every build. */
const OUTPUTS = ['dist/main.js', 'dist/server.cjs', 'dist/web/index.html'];

function newest(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let max = stat.mtimeMs;
  for (const entry of readdirSync(path)) max = Math.max(max, newest(join(path, entry)));
  return max;
}

export function buildIsStale() {
  const built = Math.min(...OUTPUTS.map((p) => (existsSync(join(root, p)) ? statSync(join(root, p)).mtimeMs : 0)));
  const changed = Math.max(...INPUTS.map((p) => newest(join(root, p))));
  return built === 0 || changed > built;
}

if (buildIsStale()) {
  console.error('sources changed since the last build: building');
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' });
}
