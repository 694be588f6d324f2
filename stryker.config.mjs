import { GROUPS } from './mutation/groups.mjs';

/**
 * Mutation testing of the security and money rules (see mutation/groups.mjs); run by
 * `npm run mutate` (scripts/mutate.mjs), one group at a time: MUTATE_GROUP names it.
 * Not part of CI: on 2 cores it takes far longer than the suite.
 */
const group = process.env.MUTATE_GROUP ?? 'secrets';
const { mutate, runStatic = false } = GROUPS[group];

export default {
  testRunner: 'vitest',
  // The group's test files, through a vitest config (mutation/vitest.config.mjs says why not
  // `testFiles`); `related` would pick nearly every test, since they all build the app.
  vitest: { related: false, configFile: 'mutation/vitest.config.mjs' },
  mutate,
  // Static mutants only where a group asks (mutation/groups.mjs says why).
  ignoreStatic: !runStatic,
  // Each mutant runs only the tests that executed it in the first run.
  coverageAnalysis: 'perTest',
  checkers: ['typescript'],
  // The app's own: the mutated files reach most of src through app.ts's Fastify type augmentation anyway.
  tsconfigFile: 'tsconfig.json',
  // A rerun retests only mutants whose file or covering tests changed since the committed result.
  incremental: true,
  incrementalFile: `mutation/${group}.incremental.json`,
  reporters: ['clear-text', 'progress', 'json', 'html'],
  jsonReporter: { fileName: `reports/mutation/${group}.json` },
  htmlReporter: { fileName: `reports/mutation/${group}.html` },
  clearTextReporter: { allowColor: false, logTests: false, reportMutants: true },
  thresholds: { high: 95, low: 90, break: null },
  // Two type checkers and two test runners (Stryker halves the number): checking a mutant
  // against the whole program is the slow step, and on 2 cores a runner mostly waits on it.
  concurrency: 4,
  // A slow shared machine: generous per-mutant time before a mutant counts as a timeout.
  timeoutMS: 60_000,
  dryRunTimeoutMinutes: 30,
  // Only what the tests need in the sandbox copy.
  // (Not `web`: test/widget.test.ts reads the widget snippet's source.)
  ignorePatterns: ['dist', 'docs', 'web/public', 'bench', 'reports', 'data', '.ci', '*.md', 'mutation/*.incremental.json'],
  tempDirName: '.stryker-tmp',
};
