import base from '../vitest.config.ts';
import { GROUPS } from './groups.mjs';

/**
 * The suite's config narrowed to one mutation group's test files. Stryker is given this file
 * instead of its own `testFiles`: with `testFiles`, Stryker 9.6.1 activates a static mutant
 * (a value computed while its module loads) only after the module has loaded, so the tests
 * never see it and it "survives" (stryker-js#6144). Without `testFiles` a static mutant gets
 * a fresh module load with the mutant active. (Not vite's mergeConfig: it would append to
 * `include`, not replace it.)
 */
const group = process.env.MUTATE_GROUP ?? 'secrets';
export default { ...base, test: { ...base.test, include: GROUPS[group].testFiles } };
