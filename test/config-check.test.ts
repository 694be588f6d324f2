import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { productionConfigProblems } from '../src/config-check.js';
import { ROOT } from './proof/proc.js';

const GOOD = {
  NODE_ENV: 'production',
  APP_URL: 'https://voice.example.com',
  DATABASE_URL: 'postgres://app:pw@db.internal:5432/epoch',
  REDIS_URL: 'rediss://cache.internal:6380',
  SMTP_URL: 'smtps://user:pw@smtp.example.com:465',
  AUTH_SECRET: 'a'.repeat(48),
  CRON_SECRET: 'c'.repeat(40),
  ADMIN_API_KEY: 'k'.repeat(40),
  ENCRYPTION_KEY: 'f'.repeat(64),
  VAPI_API_KEY: 'vapi-live-key',
  VAPI_WEBHOOK_SECRET: 'v'.repeat(24),
  TWILIO_ACCOUNT_SID: `AC${'1'.repeat(32)}`,
  TWILIO_AUTH_TOKEN: '2'.repeat(32),
  TWILIO_API_KEY: `SK${'3'.repeat(32)}`,
  TWILIO_API_SECRET: 'twilio-api-secret',
  TWILIO_TWIML_APP_SID: `AP${'4'.repeat(32)}`,
  STRIPE_SECRET_KEY: 'sk_live_abc123',
  STRIPE_WEBHOOK_SECRET: 'whsec_abc123',
  ANTHROPIC_API_KEY: 'sk-ant-api03-xyz',
};

describe('production config check', () => {
  it('passes a complete production environment', () => {
    expect(productionConfigProblems(GOOD)).toEqual([]);
    expect(productionConfigProblems({ ...GOOD, DATABASE_URL: undefined, REDIS_URL: undefined })).toEqual([]); // PGlite, one instance
  });

  it('lists every problem at once, each naming its variable', () => {
    const problems = productionConfigProblems({
      ...GOOD,
      SANDBOX: '1',
      APP_URL: 'http://voice.example.com',
      DATABASE_URL: 'mysql://db',
      PORT: 'eighty',
      AUTH_SECRET: 'short',
      ENCRYPTION_KEY: 'not-hex',
      TWILIO_ACCOUNT_SID: 'SK00000000000000000000000000000001',
      STRIPE_SECRET_KEY: 'pk_live_abc',
      STRIPE_WEBHOOK_SECRET: undefined,
      ANTHROPIC_API_KEY: 'sk-proj-abc',
    });
    expect(problems.map((p) => p.split(':')[0])).toEqual([
      'PORT',
      'SANDBOX',
      'APP_URL',
      'DATABASE_URL',
      'AUTH_SECRET',
      'ENCRYPTION_KEY',
      'TWILIO_ACCOUNT_SID',
      'STRIPE_SECRET_KEY',
      'STRIPE_WEBHOOK_SECRET',
      'ANTHROPIC_API_KEY',
    ]);
    expect(problems).toContain('APP_URL: must be a https URL');
    expect(problems).toContain('STRIPE_WEBHOOK_SECRET: is required in production');
  });

  it('`main --check-config` exits 1 with the list and starts nothing; 0 on a good environment', () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'ev-check-')), 'data');
    try {
      const run = (env: Record<string, string | undefined>) =>
        spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts', '--check-config'], {
          cwd: ROOT,
          env: { PATH: process.env.PATH, DATA_DIR: dataDir, PORT: '1', ...env } as NodeJS.ProcessEnv,
          encoding: 'utf8',
          timeout: 30_000,
        });
      const bad = run({ ...GOOD, CRON_SECRET: undefined, APP_URL: 'not a url' });
      expect(bad.status).toBe(1);
      expect(bad.stderr).toContain('2 configuration problems');
      expect(bad.stderr).toContain('CRON_SECRET: is required in production');
      expect(bad.stderr).toContain('APP_URL');
      const good = run(GOOD);
      expect([good.status, good.stdout.trim()]).toEqual([0, 'configuration ok for production']);
      expect(existsSync(dataDir)).toBe(false); // no database opened, no secrets file written
    } finally {
      rmSync(join(dataDir, '..'), { recursive: true, force: true });
    }
  });
});
