// `npm run mutate [group…]`: Stryker over the security and money rules, one group at a time
// (mutation/groups.mjs), then the score over every group's recorded result.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { GROUPS } from '../mutation/groups.mjs';

const THRESHOLD = 90;
const names = process.argv.length > 2 ? process.argv.slice(2) : Object.keys(GROUPS);
const unknown = names.filter((n) => !GROUPS[n]);
if (unknown.length) {
  console.error(`unknown group ${unknown.join(', ')}; groups: ${Object.keys(GROUPS).join(', ')}`);
  process.exit(2);
}

for (const name of names) {
  console.log(`\n=== mutation group: ${name}`);
  const run = spawnSync('npx', ['stryker', 'run', 'stryker.config.mjs'], { stdio: 'inherit', env: { ...process.env, MUTATE_GROUP: name } });
  if (run.status !== 0) process.exit(run.status ?? 1);
}

// Stryker's score: detected (killed, timed out) over detected plus undetected (survived, not covered);
// mutants that do not compile or crash the runner count in neither. Read from the incremental
// files, which hold each group's latest result, whether it ran now or before.
const DETECTED = ['Killed', 'Timeout'];
const UNDETECTED = ['Survived', 'NoCoverage'];
let detected = 0;
let undetected = 0;
console.log('\ngroup      detected  undetected  score');
for (const name of Object.keys(GROUPS)) {
  const file = `mutation/${name}.incremental.json`;
  if (!existsSync(file)) {
    console.log(`${name.padEnd(10)} not run yet`);
    continue;
  }
  const report = JSON.parse(readFileSync(file, 'utf8'));
  let d = 0;
  let u = 0;
  for (const [path, { mutants }] of Object.entries(report.files)) {
    if (!GROUPS[name].mutate.includes(path)) continue;
    for (const m of mutants) {
      if (DETECTED.includes(m.status)) d++;
      else if (UNDETECTED.includes(m.status)) {
        u++;
        console.log(`  ${m.status}: ${path}:${m.location.start.line}:${m.location.start.column} ${m.mutatorName} → ${m.replacement ?? ''}`);
      }
    }
  }
  detected += d;
  undetected += u;
  console.log(`${name.padEnd(10)} ${String(d).padStart(8)}  ${String(u).padStart(10)}  ${((100 * d) / Math.max(1, d + u)).toFixed(2)}%`);
}
const score = (100 * detected) / Math.max(1, detected + undetected);
console.log(`\nMutation score over all groups: ${score.toFixed(2)}% (${detected} detected of ${detected + undetected}; threshold ${THRESHOLD}%)`);
process.exit(score >= THRESHOLD ? 0 : 1);
