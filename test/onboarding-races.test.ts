import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { and, eq, sql } from 'drizzle-orm';
import { buildListeningApp } from './helpers/app.js';
import { signedInOwner } from './helpers/factories.js';
import { assistants, phoneNumbers, provisioningState, sandboxResources } from '../src/db/schema/index.js';

// Concurrent onboardings, within one organization and across several, end with one assistant
// and one number each, on PGlite and (TEST_DATABASE_URL) on Postgres, where writes do race.
let t: Awaited<ReturnType<typeof buildListeningApp>>;
let app: FastifyInstance;
beforeAll(async () => {
  t = await buildListeningApp();
  app = t.app;
});
afterAll(() => t.close());

type Owner = Awaited<ReturnType<typeof signedInOwner>>;
const complete = (owner: Owner, businessName = 'Race Dental') =>
  app.inject({ method: 'POST', url: '/api/onboarding', payload: { onboardingData: { businessName, areaCode: '415' }, complete: true }, headers: { cookie: owner.cookie } });

/** Documents an emulator holds of one kind whose JSON matches `where` (a condition on `data`). */
async function emulated(service: string, kind: string, where: ReturnType<typeof sql>) {
  const rows = await app.ctx.db
    .select({ data: sandboxResources.data })
    .from(sandboxResources)
    .where(and(eq(sandboxResources.service, service), eq(sandboxResources.kind, kind), where));
  return rows.map((r) => r.data);
}
const twilioNumbersOf = (organizationId: string) =>
  emulated('twilio', 'incoming_phone_number', sql`${sandboxResources.data}->>'friendly_name' = ${`epoch-voice-${organizationId}`}`);
const vapiAssistantsOf = (organizationId: string) =>
  emulated('vapi', 'assistant', sql`${sandboxResources.data}->'metadata'->>'organizationId' = ${organizationId}`);
const vapiImportsOf = (number: string) => emulated('vapi', 'phone_number', sql`${sandboxResources.data}->>'number' = ${number}`);
const ourRows = async (organizationId: string) => ({
  assistants: await app.ctx.db.select().from(assistants).where(eq(assistants.organizationId, organizationId)),
  numbers: await app.ctx.db.select().from(phoneNumbers).where(eq(phoneNumbers.organizationId, organizationId)),
});

describe('onboarding completion under concurrency', () => {
  it('10 concurrent completions of one organization: one provisions, the rest find it completed; one assistant and one number at VAPI and Twilio', async () => {
    const owner = await signedInOwner(app);
    const answers = await Promise.all(Array.from({ length: 10 }, () => complete(owner)));
    const ok = answers.filter((r) => r.statusCode === 200);
    expect(ok).toHaveLength(1);
    expect(ok[0]!.json()).toMatchObject({ completed: true, provisioningErrors: [] });
    // The reference's answer to completing a completed onboarding.
    expect(answers.filter((r) => r.statusCode === 400)).toHaveLength(9);
    const number = ok[0]!.json().phoneNumber as string;

    expect(await vapiAssistantsOf(owner.organizationId)).toHaveLength(1);
    expect((await twilioNumbersOf(owner.organizationId)).map((n) => n.phone_number)).toEqual([number]);
    expect(await vapiImportsOf(number)).toHaveLength(1);
    const ours = await ourRows(owner.organizationId);
    expect(ours.assistants).toHaveLength(1);
    expect(ours.numbers.map((n) => n.number)).toEqual([number]);
  });

  it('5 organizations onboarding at once get 5 distinct numbers, each sold and imported once', async () => {
    const owners = await Promise.all(Array.from({ length: 5 }, (_, i) => signedInOwner(app, { organizationName: `Parallel ${i}` })));
    const answers = await Promise.all(owners.map((o, i) => complete(o, `Parallel Dental ${i}`)));
    for (const r of answers) expect(r.json()).toMatchObject({ completed: true, provisioningErrors: [] });
    const numbers = answers.map((r) => r.json().phoneNumber as string);
    expect(new Set(numbers).size).toBe(5);
    for (const [i, owner] of owners.entries()) {
      expect((await twilioNumbersOf(owner.organizationId)).map((n) => n.phone_number)).toEqual([numbers[i]]);
      expect(await vapiImportsOf(numbers[i]!)).toHaveLength(1);
      expect(await vapiAssistantsOf(owner.organizationId)).toHaveLength(1);
    }
  });
});

describe('emulators on concurrent writes', () => {
  it('Twilio sells one number once: of 10 concurrent purchases one wins, the rest get 21422', async () => {
    const [candidate] = await app.ctx.providers.twilio.searchLocalNumbers({ areaCode: '212', limit: 1 });
    const tries = await Promise.allSettled(Array.from({ length: 10 }, () => app.ctx.providers.twilio.buyNumber({ phoneNumber: candidate!.phoneNumber })));
    expect(tries.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of tries.filter((r): r is PromiseRejectedResult => r.status === 'rejected')) expect(String(r.reason.message)).toMatch(/21422/);
    expect(await emulated('twilio', 'incoming_phone_number', sql`${sandboxResources.data}->>'phone_number' = ${candidate!.phoneNumber}`)).toHaveLength(1);
  });

  it('VAPI imports one number once: of 10 concurrent imports one wins, the rest are told it is in use', async () => {
    const number = '+13125550199';
    const assistantId = (await app.ctx.providers.vapi.createAssistant({ name: 'Importer', systemPrompt: 'Hi' })).id;
    const tries = await Promise.allSettled(
      Array.from({ length: 10 }, () => app.ctx.providers.vapi.importTwilioNumber({ number, twilioAccountSid: 'AC1', twilioAuthToken: 'token', assistantId })),
    );
    expect(tries.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of tries.filter((r): r is PromiseRejectedResult => r.status === 'rejected')) expect(String(r.reason.message)).toMatch(/already in use/);
    expect(await vapiImportsOf(number)).toHaveLength(1);
  });
});

describe('resumed provisioning re-checks what an earlier step recorded', () => {
  /** An onboarding that stopped after these phone steps were recorded. */
  async function stoppedAfter(steps: Record<string, Record<string, unknown>>) {
    const owner = await signedInOwner(app);
    await app.ctx.db
      .insert(provisioningState)
      .values({ organizationId: owner.organizationId, steps })
      .onConflictDoUpdate({ target: provisioningState.organizationId, set: { steps } });
    return owner;
  }
  const trunk = async () => ({ sid: (await app.ctx.providers.twilio.createSipTrunk({ friendlyName: 'recorded' })).sid });

  it('a recorded number that is not in our Twilio account is bought again', async () => {
    const owner = await stoppedAfter({ 'twilio-sip-trunk': await trunk(), 'twilio-number': { sid: 'PN00000000000000000000000000000000', phoneNumber: '+14155550000' } });
    const res = await complete(owner);
    expect(res.json()).toMatchObject({ completed: true, provisioningErrors: [] });
    expect(res.json().phoneNumber).not.toBe('+14155550000');
    expect((await twilioNumbersOf(owner.organizationId)).map((n) => n.phone_number)).toEqual([res.json().phoneNumber]);
  });

  it('a recorded number already in use at VAPI is released and another bought, so the organization is not stuck', async () => {
    const { twilio, vapi } = app.ctx.providers;
    const [candidate] = await twilio.searchLocalNumbers({ areaCode: '415', limit: 1 });
    const lost = await twilio.buyNumber({ phoneNumber: candidate!.phoneNumber, friendlyName: 'lost to a race' });
    const elsewhere = await vapi.createAssistant({ name: 'Elsewhere', systemPrompt: 'Hi' });
    await vapi.importTwilioNumber({ number: lost.phoneNumber, twilioAccountSid: 'AC1', twilioAuthToken: 'token', assistantId: elsewhere.id });
    const owner = await stoppedAfter({ 'twilio-sip-trunk': await trunk(), 'twilio-number': { sid: lost.sid, phoneNumber: lost.phoneNumber } });

    const res = await complete(owner);
    expect(res.json()).toMatchObject({ completed: true, provisioningErrors: [] });
    expect(res.json().phoneNumber).not.toBe(lost.phoneNumber);
    await expect(twilio.getNumber(lost.sid)).rejects.toMatchObject({ status: 404 });
    expect(await vapiImportsOf(res.json().phoneNumber)).toHaveLength(1);
  });
});
