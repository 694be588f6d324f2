import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';

const optionalString = z.string().trim().min(1).optional().catch(undefined);
const stringbool = z.stringbool({ truthy: ['1', 'true', 'yes', 'on'], falsy: ['0', 'false', 'no', 'off'] });

export const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DATA_DIR: z.string().default('./data'),
  DATABASE_URL: optionalString,
  APP_URL: z.url().optional(),
  SANDBOX: stringbool.optional(),
  SCHEDULER: stringbool.default(true),
  SCHEDULER_TEST_EVERY_SECOND: stringbool.default(false),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  AUTH_SECRET: optionalString,
  CRON_SECRET: optionalString,
  ADMIN_API_KEY: optionalString,
  ENCRYPTION_KEY: optionalString,
  VAPI_API_KEY: optionalString,
  VAPI_WEBHOOK_SECRET: optionalString,
  TWILIO_ACCOUNT_SID: optionalString,
  TWILIO_AUTH_TOKEN: optionalString,
  TWILIO_API_KEY: optionalString,
  TWILIO_API_SECRET: optionalString,
  TWILIO_TWIML_APP_SID: optionalString,
  STRIPE_SECRET_KEY: optionalString,
  STRIPE_WEBHOOK_SECRET: optionalString,
  ANTHROPIC_API_KEY: optionalString,
  ELEVENLABS_API_KEY: optionalString,
  SMTP_URL: optionalString,
  MAIL_FROM: z.string().default('Epoch Voice <no-reply@epochvoice.local>'),
  REDIS_URL: optionalString,
  AUTH_RATE_LIMIT_PER_MIN: z.coerce.number().int().positive().default(10),
  API_KEY_RATE_LIMIT_PER_MIN: z.coerce.number().int().positive().default(600),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().positive().default(15_000),
  SHUTDOWN_DRAIN_MS: z.coerce.number().int().min(0).default(10_000),
  METRICS_TOKEN: optionalString,
  METRICS_PORT: z.coerce.number().int().min(1).max(65535).optional(),
});

/** Secrets that production must be given and the sandbox may generate for itself. */
const REQUIRED_SECRETS = ['AUTH_SECRET', 'CRON_SECRET', 'ADMIN_API_KEY', 'ENCRYPTION_KEY'] as const;
/**
 * Provider credentials the sandbox invents when unset, shaped like the real ones, so the
 * real SDKs run unchanged against the emulators and webhooks are signed with real secrets.
 */
const SANDBOX_CREDENTIALS = {
  VAPI_API_KEY: () => hex(16),
  VAPI_WEBHOOK_SECRET: () => hex(24),
  TWILIO_ACCOUNT_SID: () => `AC${hex(16)}`,
  TWILIO_AUTH_TOKEN: () => hex(16),
  TWILIO_API_KEY: () => `SK${hex(16)}`,
  TWILIO_API_SECRET: () => hex(16),
  TWILIO_TWIML_APP_SID: () => `AP${hex(16)}`,
  STRIPE_SECRET_KEY: () => `sk_test_${hex(24)}`,
  STRIPE_WEBHOOK_SECRET: () => `whsec_${hex(24)}`,
  ANTHROPIC_API_KEY: () => `sk-ant-sandbox-${hex(16)}`,
} as const;
const GENERATED_SECRETS = [...REQUIRED_SECRETS, ...(Object.keys(SANDBOX_CREDENTIALS) as Array<keyof typeof SANDBOX_CREDENTIALS>)];
type GeneratedSecret = (typeof GENERATED_SECRETS)[number];
const hex = (bytes: number) => randomBytes(bytes).toString('hex');

export interface Config {
  nodeEnv: 'development' | 'production' | 'test';
  host: string;
  port: number;
  dataDir: string;
  /** Unset means the embedded PGlite database in dataDir. */
  databaseUrl?: string;
  appUrl: string;
  /** How this process reaches itself (the sandbox emulators): loopback, not the public URL. */
  internalUrl: string;
  sandbox: boolean;
  scheduler: boolean;
  /** Test-only (scale-out proof): every job ticks each second. Ignored in production. */
  schedulerEverySecond: boolean;
  logLevel: string;
  authSecret: string;
  cronSecret: string;
  adminApiKey: string;
  /** 32 bytes, hex (64 chars), for AES-256-GCM. */
  encryptionKey: string;
  vapi: { apiKey?: string; webhookSecret?: string };
  twilio: { accountSid?: string; authToken?: string; apiKey?: string; apiSecret?: string; twimlAppSid?: string };
  stripe: { secretKey?: string; webhookSecret?: string };
  anthropicApiKey?: string;
  /** Optional: without it the premade voice catalog is served. */
  elevenlabsApiKey?: string;
  smtpUrl?: string;
  mailFrom: string;
  redisUrl?: string;
  authRateLimitPerMin: number;
  apiKeyRateLimitPerMin: number;
  /** After SIGTERM: the most that closing (requests, jobs, database) may take before a forced exit 1. */
  shutdownTimeoutMs: number;
  /** After SIGTERM: how long /api/ready answers 503 while requests are still served (load balancers notice). */
  shutdownDrainMs: number;
  /** GET /metrics on the main port, with this bearer token. */
  metricsToken?: string;
  /** GET /metrics without auth on 127.0.0.1:this port. */
  metricsPort?: number;
}

export class ConfigError extends Error {}

/**
 * Reads process.env once. In sandbox mode missing secrets are generated and kept in
 * DATA_DIR/secrets.json so sessions survive a restart; in production they are required.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid environment:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';
  const sandbox = e.SANDBOX ?? !production;
  const dataDir = resolve(e.DATA_DIR);

  const missingRequired = REQUIRED_SECRETS.filter((name) => !e[name]);
  if (missingRequired.length > 0 && production) {
    throw new ConfigError(`Missing required secrets in production: ${missingRequired.join(', ')}`);
  }
  // Generated values fill gaps only: required secrets outside production, credentials in the sandbox.
  const generatable = sandbox ? GENERATED_SECRETS : REQUIRED_SECRETS;
  const missing = generatable.filter((name) => !e[name]);
  const stored: Partial<Record<GeneratedSecret, string>> = missing.length > 0 ? loadGeneratedSecrets(dataDir) : {};
  const secret = (name: GeneratedSecret) => e[name] ?? (missing.includes(name) ? stored[name] : undefined);
  const secrets = Object.fromEntries(REQUIRED_SECRETS.map((n) => [n, secret(n)!])) as Record<(typeof REQUIRED_SECRETS)[number], string>;
  if (!/^[0-9a-f]{64}$/i.test(secrets.ENCRYPTION_KEY)) {
    throw new ConfigError('ENCRYPTION_KEY must be 32 bytes written as 64 hex characters');
  }

  const host = e.HOST;
  return {
    nodeEnv: e.NODE_ENV,
    host,
    port: e.PORT,
    dataDir,
    databaseUrl: e.DATABASE_URL,
    appUrl: (e.APP_URL ?? `http://${host.includes(':') ? `[${host}]` : host}:${e.PORT}`).replace(/\/$/, ''),
    internalUrl: `http://${['0.0.0.0', '::', ''].includes(host) ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host}:${e.PORT}`,
    sandbox,
    scheduler: e.SCHEDULER,
    schedulerEverySecond: e.SCHEDULER_TEST_EVERY_SECOND && !production,
    logLevel: e.LOG_LEVEL,
    authSecret: secrets.AUTH_SECRET,
    cronSecret: secrets.CRON_SECRET,
    adminApiKey: secrets.ADMIN_API_KEY,
    encryptionKey: secrets.ENCRYPTION_KEY,
    vapi: { apiKey: secret('VAPI_API_KEY'), webhookSecret: secret('VAPI_WEBHOOK_SECRET') },
    twilio: {
      accountSid: secret('TWILIO_ACCOUNT_SID'),
      authToken: secret('TWILIO_AUTH_TOKEN'),
      apiKey: secret('TWILIO_API_KEY'),
      apiSecret: secret('TWILIO_API_SECRET'),
      twimlAppSid: secret('TWILIO_TWIML_APP_SID'),
    },
    stripe: { secretKey: secret('STRIPE_SECRET_KEY'), webhookSecret: secret('STRIPE_WEBHOOK_SECRET') },
    anthropicApiKey: secret('ANTHROPIC_API_KEY'),
    elevenlabsApiKey: e.ELEVENLABS_API_KEY,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    redisUrl: e.REDIS_URL,
    authRateLimitPerMin: e.AUTH_RATE_LIMIT_PER_MIN,
    apiKeyRateLimitPerMin: e.API_KEY_RATE_LIMIT_PER_MIN,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    shutdownDrainMs: e.SHUTDOWN_DRAIN_MS,
    metricsToken: e.METRICS_TOKEN,
    metricsPort: e.METRICS_PORT,
  };
}

function loadGeneratedSecrets(dataDir: string): Record<GeneratedSecret, string> {
  const file = join(dataDir, 'secrets.json');
  const existing: Partial<Record<GeneratedSecret, string>> = existsSync(file)
    ? JSON.parse(readFileSync(file, 'utf8'))
    : {};
  const generate = (name: GeneratedSecret) =>
    name in SANDBOX_CREDENTIALS ? SANDBOX_CREDENTIALS[name as keyof typeof SANDBOX_CREDENTIALS]() : hex(32);
  const complete = Object.fromEntries(
    GENERATED_SECRETS.map((name) => [name, existing[name] ?? generate(name)]),
  ) as Record<GeneratedSecret, string>;
  if (GENERATED_SECRETS.some((name) => !existing[name])) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, JSON.stringify(complete, null, 2), { mode: 0o600 });
  }
  return complete;
}
