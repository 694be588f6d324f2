/**
 * `npx tsx bench/profile-ingest.ts`: where the server's CPU goes while it ingests realistic
 * VAPI end-of-call reports on Postgres (`node --cpu-prof`, src under tsx). Prints the
 * top functions by self time and the share per package or source file.
 * PROFILE_SECONDS (default 10) of load; PROFILE_COPIES=2 delivers each report twice.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { databaseUrl, loadPosts, recreateDatabase, signUp, startServer, stop } from './lib.js';
import { reportTemplates } from './vapi-reports.js';

const SECONDS = Number(process.env.PROFILE_SECONDS ?? 10);
const SHOW = Number(process.env.PROFILE_TOP ?? 20);
const COPIES = Number(process.env.PROFILE_COPIES ?? 1);
const SECRET = 'bench-vapi-secret';
const env = { LOG_LEVEL: 'warn', SCHEDULER: '0', SHUTDOWN_DRAIN_MS: '0', AUTH_RATE_LIMIT_PER_MIN: '100000', VAPI_API_KEY: 'bench-vapi-key', VAPI_WEBHOOK_SECRET: SECRET };

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  endTime: number;
}

/** Where a frame lives: a package, a file of ours, Node's internals or V8's pseudo-frames. */
function areaOf(url: string) {
  if (!url) return '(v8: gc, program, idle)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
  if (pkg) return pkg;
  if (url.startsWith('node:')) return 'node internals';
  const ours = /\/src\/(.+)$/.exec(url)?.[1];
  return ours ? `ours: ${ours}` : url;
}

await recreateDatabase('ev_bench');
const profileDir = mkdtempSync(join(tmpdir(), 'ev-prof-'));
const server = await startServer(
  // From src under tsx, not the bundled build: frames then name our files and the packages.
  ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, '--import', 'tsx', 'src/main.ts'],
  { ...env, PORT: '4720', DATABASE_URL: databaseUrl('ev_bench') },
  'http://127.0.0.1:4720/api/health',
);
const { vapiAssistantId } = await signUp('http://127.0.0.1:4720', env.VAPI_API_KEY);
const templates = reportTemplates(vapiAssistantId);
let n = 0;
const next = () => {
  const report = Math.floor(n++ / COPIES);
  return templates[report % templates.length]!.join(`prof_${process.pid}_${report}`);
};
const result = await loadPosts('http://127.0.0.1:4720/api/webhooks/vapi', { seconds: SECONDS, headers: { 'x-vapi-secret': SECRET }, next });
await stop(server);

const file = readdirSync(profileDir).find((f) => f.endsWith('.cpuprofile'))!;
const profile = JSON.parse(readFileSync(join(profileDir, file), 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((x) => [x.id, x]));
const parent = new Map<number, ProfileNode>();
for (const x of profile.nodes) for (const c of x.children ?? []) parent.set(c, x);
// Only the samples taken under load: start-up (module loading, migrations) is not ingestion.
let t = profile.endTime - profile.timeDeltas.reduce((s, d) => s + d, 0);
const loadStart = profile.endTime - (SECONDS + 0.3) * 1e6;
const hits = new Map<number, number>();
profile.samples.forEach((id, i) => {
  t += profile.timeDeltas[i]!;
  if (t >= loadStart) hits.set(id, (hits.get(id) ?? 0) + 1);
});
const isIdle = (x: ProfileNode) => x.callFrame.functionName === '(idle)';
const total = [...hits.values()].reduce((s, h) => s + h, 0);
const busy = [...hits].filter(([id]) => !isIdle(byId.get(id)!)).reduce((s, [, h]) => s + h, 0);
/** A native frame (no url) is charged with its nearest JavaScript caller's place. */
const placeOf = (x: ProfileNode): string => {
  for (let y: ProfileNode | undefined = x; y; y = parent.get(y.id)) if (y.callFrame.url) return area(y.callFrame.url);
  return area('');
};
const tally = (key: (x: ProfileNode) => string) => {
  const m = new Map<string, number>();
  for (const [id, h] of hits) {
    const x = byId.get(id)!;
    if (!isIdle(x)) m.set(key(x), (m.get(key(x)) ?? 0) + h);
  }
  return [...m].sort((a, b) => b[1] - a[1]);
};
const area = (url: string) => areaOf(url);
const pct = (h: number) => `${((h / busy) * 100).toFixed(1)}%`;
console.log(`${result.rps / COPIES} distinct reports/s (${COPIES} deliveries each), p50 ${result.p50} ms, p99 ${result.p99} ms; server busy ${((busy / total) * 100).toFixed(0)}% of samples`);
console.log('\nby package or file (share of busy samples):');
for (const [k, h] of tally(placeOf).slice(0, 15)) console.log(`  ${pct(h).padStart(6)}  ${k}`);
console.log('\ntop functions by self time:');
for (const [k, h] of tally((x) => `${x.callFrame.functionName || '(anonymous)'}  ${x.callFrame.url ? `${area(x.callFrame.url)}:${x.callFrame.lineNumber + 1}` : `native, from ${placeOf(x)}`}`).slice(0, SHOW)) {
  console.log(`  ${pct(h).padStart(6)}  ${k}`);
}
console.log(`\nprofile: ${join(profileDir, file)}`);
