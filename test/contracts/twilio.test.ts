import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildListeningApp } from '../helpers/app.js';
import { checkExchanges, loadContract, tapOn, validators, type KnownError } from './contract.js';
import { TWILIO_OPERATIONS, TWILIO_WEBHOOKS } from './operations.js';

/**
 * Our Twilio client and the Twilio emulator held to twilio-oai: every form our client posts
 * (recorded at the emulator) against the operation's request schema, closed; every answer
 * against the response schema with every declared field present (Twilio serializes them all,
 * null when unset); every webhook against the parameters Twilio documents.
 */
const contract = loadContract('twilio');

const KNOWN: KnownError[] = [
  {
    operation: '*',
    path: /^response \/(uri|first_page_uri|subresource_uris\/\w+|links\/\w+|url) must match format "uri"/,
    reason: 'twilio-oai marks `uri`-type fields `format: uri`, but the API returns them relative to the host ("/2010-04-01/…")',
    link: 'https://www.twilio.com/docs/usage/twilios-response#response-formats-list-paging-information',
  },
  {
    operation: 'GET /2010-04-01/Accounts/{AccountSid}/AvailablePhoneNumbers/{CountryCode}/Local.json',
    path: /^response \/available_phone_numbers\/\d+\/capabilities /,
    reason:
      'twilio-oai reuses the lower-case {voice, sms, mms, fax} capabilities schema, but this resource answers ' +
      '{"voice": true, "SMS": true, "MMS": true} (upper-case keys, no fax), as its API reference example shows',
    link: 'https://www.twilio.com/docs/phone-numbers/api/availablephonenumberlocal-resource',
  },
];

describe.skipIf(!contract)(`Twilio contract (${contract?.source.repo}@${contract?.source.commit.slice(0, 12)})`, () => {
  let t: Awaited<ReturnType<typeof buildListeningApp>>;
  let tap: ReturnType<typeof tapOn>;

  beforeAll(async () => {
    t = await buildListeningApp();
    tap = tapOn();
    const twilio = t.app.ctx.providers.twilio;
    const [available] = await twilio.searchLocalNumbers({ areaCode: '415', limit: 5 });
    const hook = `${t.baseUrl}/api/webhooks/twilio`;
    const number = await twilio.buyNumber({ phoneNumber: available!.phoneNumber, friendlyName: 'Main', voiceUrl: `${hook}/voice`, smsUrl: `${hook}/sms-inbound`, statusCallbackUrl: `${hook}/status` });
    await twilio.getNumber(number.sid);
    const trunk = await twilio.createSipTrunk({ friendlyName: 'Contract trunk' });
    await twilio.getSipTrunk(trunk.sid);
    const service = await twilio.createMessagingService({ friendlyName: 'Contract', inboundRequestUrl: `${hook}/sms-inbound`, statusCallbackUrl: `${hook}/sms-status` });
    await twilio.addNumberToMessagingService(service.sid, number.sid);
    const brand = await twilio.createBrand({ businessName: 'Contract Dental', email: 'owner@example.com', brandType: 'STANDARD' });
    await twilio.getBrand(brand.sid);
    const campaign = await twilio.createCampaign({
      messagingServiceSid: service.sid,
      brandSid: brand.sid,
      useCase: 'CUSTOMER_CARE',
      description: 'Appointment reminders for our patients',
      messageFlow: 'Patients opt in at the front desk.',
      messageSamples: ['Your visit is tomorrow at 9.', 'Reply STOP to opt out.'],
      hasEmbeddedLinks: false,
      hasEmbeddedPhone: true,
    });
    await twilio.getCampaign(service.sid, campaign.sid);
    const sms = await twilio.sendSms({ from: number.phoneNumber, to: '+15551230000', body: 'Hello from the contract test', statusCallbackUrl: `${hook}/sms-status` });
    await twilio.getSms(sms.sid);
    const inbound = await fetch(`${t.baseUrl}/sandbox/twilio/simulate-inbound-sms`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ from: '+12125550100', to: number.phoneNumber, body: 'Hi' }),
    });
    expect(inbound.status).toBe(200);
    await twilio.releaseNumber(number.sid);
    await t.app.close(); // waits for the status callbacks still on their way
    tap.off();
  });
  afterAll(() => t?.close());

  it('every form our client posted and every answer the emulator gave match twilio-oai', () => {
    const { mismatches, seen } = checkExchanges(contract!, tap.api('twilio'), {
      prefix: /^\/sandbox\/twilio\/(api(?=\/2010)|trunking|messaging|trusthub)/,
      requests: validators(contract!, { closed: true }),
      responses: validators(contract!, { allPresent: true }),
      known: KNOWN,
    });
    expect(mismatches).toEqual([]);
    const listed = TWILIO_OPERATIONS.map((o) => `${o.method.toUpperCase()} ${o.path}`);
    expect(listed.filter((op) => !seen.has(op)), 'listed operations never exercised').toEqual([]);
  });

  it('every webhook the emulator posted carries exactly the parameters Twilio documents', () => {
    const messages = tap.messages('twilio');
    for (const kind of Object.keys(TWILIO_WEBHOOKS)) expect(messages.map((m) => m.name), `no ${kind} was sent`).toContain(kind);
    for (const m of messages) {
      const spec = TWILIO_WEBHOOKS[m.name as keyof typeof TWILIO_WEBHOOKS];
      const keys = Object.keys(m.body as Record<string, string>);
      expect(spec.always.filter((k) => !keys.includes(k)), `${m.name}: missing`).toEqual([]);
      expect(keys.filter((k) => !(spec.always as readonly string[]).includes(k) && !(spec.optional as readonly string[]).includes(k)), `${m.name}: undocumented`).toEqual([]);
    }
  });
});
