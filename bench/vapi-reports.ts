/**
 * Realistic VAPI end-of-call reports for the ingestion bench: the shape VAPI sends
 * (ServerMessageEndOfCallReport, see ../shared/PROVIDERS.md) with everything a real one
 * carries — the `call` object (customer, phone number, assistant id, monitor, transport),
 * the `assistant` and `phoneNumber` objects, 10–40 timed turns, the transcript, recording
 * URLs, the analysis (summary, structured data, success evaluation), `cost` and `costs[]`.
 * Sizes run from ~3 to ~30 KB. Deterministic: the same seed gives the same reports.
 */

/** mulberry32: a small seeded PRNG, so runs compare like with like. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CALLER_LINES = [
  'Hi, I would like to book a cleaning for next week if you have anything in the afternoon.',
  'My name is Dana Whitfield, I have been a patient there for about three years now.',
  'I chipped a tooth last night and it is pretty sensitive, is there any way to get in today?',
  'Do you take Delta Dental PPO? My employer just switched plans and I am not sure.',
  'Could somebody call me back at this number to confirm? I am at work until five.',
  'How much would a crown cost without insurance, roughly?',
  'Tuesday at three would work, or Thursday morning any time before eleven.',
  'Yes, that is the right number, and my date of birth is on file already.',
  'Okay great, thank you so much, have a good one.',
];
const ASSISTANT_LINES = [
  'Thanks for calling Bright Smile Dental, this is Savannah. How can I help you today?',
  'I can help with that. Can I get your full name and the best number to reach you?',
  'Let me check the schedule. We have Tuesday at 3 PM or Thursday at 9:30 AM with Dr. Patel.',
  'We are in network with most PPO plans, including Delta Dental PPO; the front desk will verify your benefits before the visit.',
  'I am sorry to hear that. I will mark this as urgent and have the team call you back within the hour.',
  'A crown usually runs between nine hundred and fourteen hundred dollars before insurance, depending on the material.',
  'You are all set. You will get a text confirmation shortly. Is there anything else I can help with?',
  'Thank you for calling Bright Smile Dental. Have a wonderful day!',
];
const ENDED_REASONS = ['customer-ended-call', 'assistant-ended-call', 'customer-ended-call', 'assistant-forwarded-call', 'voicemail'];
const CATEGORIES = ['appointment', 'question', 'quote', 'complaint', 'other'] as const;
const SYSTEM_PROMPT =
  'You are Savannah, the friendly receptionist of Bright Smile Dental in Portland, Oregon. ' +
  'Answer questions about hours (Mon–Fri 8–5, Sat 9–1), insurance, prices and location; book, move and cancel appointments with the calendar tools; ' +
  'take a message and flag urgent matters (pain, swelling, broken teeth) for a call back within the hour. Never give medical advice. Keep answers short and warm.';

export interface ReportOptions {
  callId: string;
  vapiAssistantId: string;
  /** Index of the report in the run: turns, sizes and outcomes vary with it. */
  index: number;
  seed?: number;
  /** Ends the call this long ago (default 1 hour), so every report is fresh but done. */
  endedMsAgo?: number;
}

/** One end-of-call report as the JSON body VAPI POSTs (`{ message: … }`). */
export function realisticReport(o: ReportOptions) {
  const rand = prng((o.seed ?? 42) * 1_000_003 + o.index);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  // Turns 10–40, skewed to short calls; every 7th report is long (the 20–30 KB tail, with
  // tool calls). Every 4th is lean, as from a server whose serverMessages leave out the
  // assistant, the phone number and the OpenAI-formatted copy (the ~3 KB end).
  const long = o.index % 7 === 6;
  const lean = !long && o.index % 4 === 1;
  const turns = long ? 30 + Math.floor(rand() * 11) : lean ? 10 : 10 + Math.floor(rand() * 14);
  const seconds = Math.round(turns * (6 + rand() * 6) * 10) / 10;
  const endedAt = new Date(Date.now() - (o.endedMsAgo ?? 3600_000));
  const startedAt = new Date(endedAt.getTime() - seconds * 1000);
  const start = startedAt.getTime();
  const customer = `+1503555${String(1000 + (o.index % 9000)).padStart(4, '0')}`;
  const phoneNumberId = '7b3b6e1c-5f3a-4c1e-9d21-3e0b8f0f6a11';
  const orgId = '2f1f2d5e-8d1c-4b1e-a0d2-55c0f4a1b9e7';

  const messages: Array<Record<string, unknown>> = lean ? [] : [{ role: 'system', message: SYSTEM_PROMPT, time: start, secondsFromStart: 0 }];
  const lines: string[] = [];
  for (let i = 0; i < turns; i++) {
    const bot = i % 2 === 0;
    const text = lean ? (bot ? 'Sure, one moment.' : 'Okay, thanks.') : bot ? pick(ASSISTANT_LINES) : pick(CALLER_LINES);
    const from = Math.round(((seconds * i) / turns) * 1000) / 1000;
    const duration = Math.round((seconds / turns) * 800); // ms, 80% of the turn spoken
    const time = start + from * 1000;
    messages.push({ role: bot ? 'bot' : 'user', message: text, time, endTime: time + duration, secondsFromStart: from, duration, ...(bot ? { source: '' } : {}) });
    lines.push(`${bot ? 'AI' : 'User'}: ${text}`);
    if (long && i % 4 === 1) messages.push(...toolCall(`call_${o.index}_${i}`, time + duration, from + duration / 1000));
  }
  const urgent = rand() < 0.15;
  const callbackRequested = urgent || rand() < 0.3;
  const category = pick(CATEGORIES);
  const summary = `Dana Whitfield called about ${category === 'appointment' ? 'booking a cleaning' : category === 'quote' ? 'the price of a crown' : 'her insurance and a sensitive tooth'}. ${
    callbackRequested ? 'She asked the team to call her back at this number to confirm.' : 'No follow-up is needed.'
  } The assistant offered Tuesday at 3 PM or Thursday at 9:30 AM with Dr. Patel.`;
  const minutes = seconds / 60;
  const costs = [
    { type: 'transport', provider: 'twilio', minutes, cost: round4(minutes * 0.0085) },
    { type: 'transcriber', transcriber: { provider: 'deepgram', model: 'nova-2' }, minutes, cost: round4(minutes * 0.01) },
    { type: 'model', model: { provider: 'openai', model: 'gpt-4o' }, promptTokens: turns * 620, completionTokens: turns * 38, cost: round4(turns * 0.0019) },
    { type: 'voice', voice: { provider: '11labs', voiceId: 'sarah' }, characters: lines.join('').length, cost: round4(lines.join('').length * 0.00003) },
    { type: 'vapi', subType: 'normal', minutes, cost: round4(minutes * 0.05) },
    { type: 'analysis', analysisType: 'summary', model: { provider: 'openai', model: 'gpt-4o' }, promptTokens: 1800, completionTokens: 90, cost: 0.0054 },
    { type: 'analysis', analysisType: 'structuredData', model: { provider: 'openai', model: 'gpt-4o' }, promptTokens: 1900, completionTokens: 70, cost: 0.0056 },
    { type: 'analysis', analysisType: 'successEvaluation', model: { provider: 'openai', model: 'gpt-4o' }, promptTokens: 1700, completionTokens: 4, cost: 0.0043 },
  ];
  if (lean) costs.splice(5);
  const cost = round4(costs.reduce((s, c) => s + c.cost, 0));
  const recordings = `https://storage.vapi.ai/${o.callId}`;
  const assistant = {
    id: o.vapiAssistantId,
    orgId,
    name: 'Savannah',
    firstMessage: ASSISTANT_LINES[0],
    firstMessageMode: 'assistant-speaks-first',
    model: { provider: 'openai', model: 'gpt-4o', temperature: 0.4, messages: [{ role: 'system', content: SYSTEM_PROMPT }], toolIds: ['tool_book', 'tool_kb'] },
    voice: { provider: '11labs', voiceId: 'sarah', stability: 0.5, similarityBoost: 0.75 },
    transcriber: { provider: 'deepgram', model: 'nova-2', language: 'en' },
    analysisPlan: { structuredDataPlan: { enabled: true }, summaryPlan: { enabled: true }, successEvaluationPlan: { rubric: 'PassFail' } },
    server: { url: 'https://app.example.com/api/webhooks/vapi' },
    createdAt: '2026-10-01T17:02:11.000Z',
    updatedAt: '2026-11-20T09:44:03.000Z',
  };
  const phoneNumber = {
    id: phoneNumberId,
    orgId,
    provider: 'twilio',
    number: '+15035550100',
    name: 'Front desk',
    assistantId: o.vapiAssistantId,
    twilioAccountSid: 'AC0000000000000000000000000000bench',
    status: 'active',
    createdAt: '2026-10-01T17:05:40.000Z',
    updatedAt: '2026-10-01T17:05:40.000Z',
  };
  return {
    message: {
      timestamp: endedAt.getTime() + 1200,
      type: 'end-of-call-report',
      endedReason: pick(ENDED_REASONS),
      startedAt: startedAt.toISOString(),
      endedAt: endedAt.toISOString(),
      cost,
      costs,
      call: {
        id: o.callId,
        orgId,
        createdAt: new Date(start - 2000).toISOString(),
        updatedAt: endedAt.toISOString(),
        type: 'inboundPhoneCall',
        status: 'ended',
        phoneCallProvider: 'twilio',
        phoneCallProviderId: `CA${o.callId.replace(/[^a-f0-9]/gi, '').padEnd(32, '0').slice(0, 32)}`,
        phoneCallTransport: 'pstn',
        assistantId: o.vapiAssistantId,
        phoneNumberId,
        customer: { number: customer },
        monitor: { listenUrl: `wss://phone-call-websocket.aws-us-west-2-backend-production1.vapi.ai/${o.callId}/listen`, controlUrl: `https://phone-call-websocket.aws-us-west-2-backend-production1.vapi.ai/${o.callId}/control` },
        transport: { provider: 'twilio', assistantVideoEnabled: false, callSid: `CA${o.index.toString(16).padStart(32, '0')}`, accountSid: phoneNumber.twilioAccountSid },
      },
      ...(lean ? {} : { assistant, phoneNumber }),
      customer: { number: customer },
      artifact: {
        messages,
        ...(lean ? {} : { messagesOpenAIFormatted: [{ role: 'system', content: SYSTEM_PROMPT }, ...lines.map((l) => ({ role: l.startsWith('AI') ? 'assistant' : 'user', content: l.slice(l.indexOf(': ') + 2) }))] }),
        transcript: lines.join('\n'),
        recordingUrl: `${recordings}/mono.wav`,
        stereoRecordingUrl: `${recordings}/stereo.wav`,
        recording: { stereoUrl: `${recordings}/stereo.wav`, mono: { combinedUrl: `${recordings}/mono.wav`, assistantUrl: `${recordings}/assistant.wav`, customerUrl: `${recordings}/customer.wav` } },
      },
      analysis: {
        summary,
        structuredData: {
          callerName: 'Dana Whitfield',
          reason: `Wants help with ${category === 'appointment' ? 'a cleaning appointment' : 'a question about her treatment'}.`,
          category,
          urgent,
          callbackRequested,
          callbackNumber: customer,
          appointmentBooked: category === 'appointment',
        },
        successEvaluation: String(rand() < 0.85),
      },
    },
  };
}

/** A calendar lookup as VAPI records it: the model's tool call and the tool's result. */
function toolCall(id: string, time: number, secondsFromStart: number) {
  const args = JSON.stringify({ date: '2026-12-08', durationMinutes: 60, service: 'cleaning', timezone: 'America/Los_Angeles' });
  return [
    { role: 'tool_calls', toolCalls: [{ id, type: 'function', function: { name: 'check_availability', arguments: args } }], message: '', time, secondsFromStart },
    {
      role: 'tool_call_result',
      toolCallId: id,
      name: 'check_availability',
      result: JSON.stringify({ slots: ['2026-12-08T15:00:00-08:00', '2026-12-10T09:30:00-08:00', '2026-12-10T13:00:00-08:00'], provider: 'Dr. Patel' }),
      time: time + 420,
      secondsFromStart: secondsFromStart + 0.42,
    },
  ];
}

const round4 = (n: number) => Math.round(n * 10_000) / 10_000;

/**
 * `count` serialized reports for one assistant, each split where its call id goes: join one
 * with a fresh id per request, so the load generator does not serialize 12 KB per request.
 */
export function reportTemplates(vapiAssistantId: string, count = 64) {
  return Array.from({ length: count }, (_, index) => JSON.stringify(realisticReport({ callId: 'CALL_ID', vapiAssistantId, index })).split('CALL_ID'));
}
