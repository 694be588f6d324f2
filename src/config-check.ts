import { EnvSchema } from './config.js';

type Env = Record<string, string | undefined>;

/** A rule over one variable: the problem with its value, or undefined when it is fine. */
type Rule = (value: string | undefined) => string | undefined;

const required =
  (next?: Rule): Rule =>
  (v) => (v === undefined || v.trim() === '' ? 'is required in production' : next?.(v));
const optional =
  (next: Rule): Rule =>
  (v) => (v === undefined || v.trim() === '' ? undefined : next(v));
const minLength =
  (n: number): Rule =>
  (v) => (v!.length < n ? `must be at least ${n} characters (a random secret)` : undefined);
const pattern =
  (re: RegExp, what: string): Rule =>
  (v) => (re.test(v!) ? undefined : `must be ${what}`);
const url =
  (protocols: string[], what = protocols.join(' or ')): Rule =>
  (v) => {
    let parsed: URL;
    try {
      parsed = new URL(v!);
    } catch {
      return 'is not a URL';
    }
    return protocols.includes(parsed.protocol) ? undefined : `must be a ${what} URL`;
  };

/** What production needs, variable by variable (config.ts generates the rest only in the sandbox). */
const RULES: Record<string, Rule> = {
  NODE_ENV: (v) => (v === 'production' ? undefined : 'must be "production"'),
  SANDBOX: (v) => (v && /^(1|true|yes|on)$/i.test(v) ? 'must be off in production (the provider emulators would answer)' : undefined),
  APP_URL: required(url(['https:'], 'https')),
  DATABASE_URL: optional(url(['postgres:', 'postgresql:'], 'postgres://')),
  REDIS_URL: optional(url(['redis:', 'rediss:'], 'redis:// or rediss://')),
  SMTP_URL: required(url(['smtp:', 'smtps:'], 'smtp:// or smtps://')),
  AUTH_SECRET: required(minLength(32)),
  CRON_SECRET: required(minLength(32)),
  ADMIN_API_KEY: required(minLength(32)),
  ENCRYPTION_KEY: required(pattern(/^[0-9a-f]{64}$/i, '32 bytes written as 64 hex characters')),
  METRICS_TOKEN: optional(minLength(32)),
  VAPI_API_KEY: required(),
  VAPI_WEBHOOK_SECRET: required(minLength(16)),
  TWILIO_ACCOUNT_SID: required(pattern(/^AC[0-9a-f]{32}$/i, '"AC" and 32 hex characters')),
  TWILIO_AUTH_TOKEN: required(pattern(/^[0-9a-f]{32}$/i, '32 hex characters')),
  TWILIO_API_KEY: required(pattern(/^SK[0-9a-f]{32}$/i, '"SK" and 32 hex characters')),
  TWILIO_API_SECRET: required(),
  TWILIO_TWIML_APP_SID: required(pattern(/^AP[0-9a-f]{32}$/i, '"AP" and 32 hex characters')),
  STRIPE_SECRET_KEY: required(pattern(/^(sk|rk)_(live|test)_\w+$/, 'a Stripe secret key (sk_live_… or rk_live_…)')),
  STRIPE_WEBHOOK_SECRET: required(pattern(/^whsec_\w+$/, 'a Stripe signing secret (whsec_…)')),
  ANTHROPIC_API_KEY: required(pattern(/^sk-ant-/, 'an Anthropic key (sk-ant-…)')),
};

/**
 * Every problem with the environment for a production start, one line each (empty when it
 * is ready): the schema's own checks (numbers, enums, URLs) and the production rules above.
 */
export function productionConfigProblems(env: Env): string[] {
  const problems: string[] = [];
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) for (const issue of parsed.error.issues) problems.push(`${issue.path.join('.')}: ${issue.message}`);
  for (const [name, rule] of Object.entries(RULES)) {
    const problem = rule(env[name]);
    if (problem && !problems.some((p) => p.startsWith(`${name}:`))) problems.push(`${name}: ${problem}`);
  }
  return problems;
}
