import type { FastifyInstance } from 'fastify';
import { randomBytes } from 'node:crypto';

export const VAPI_SECRET = 'test-vapi-webhook-secret';

/** An end-of-call-report in VAPI's shape (see shared/PROVIDERS.md). */
export function endOfCallReport(o: { callId?: string; assistantId: string; seconds?: number; startedAt?: Date; customer?: string }) {
  const startedAt = o.startedAt ?? new Date(Date.now() - 10 * 60_000);
  const endedAt = new Date(startedAt.getTime() + (o.seconds ?? 192.4) * 1000);
  return {
    message: {
      type: 'end-of-call-report',
      timestamp: endedAt.getTime(),
      endedReason: 'customer-ended-call',
      startedAt: startedAt.toISOString(),
      endedAt: endedAt.toISOString(),
      cost: 0.31,
      call: {
        id: o.callId ?? `call_${randomBytes(6).toString('hex')}`,
        type: 'inboundPhoneCall',
        status: 'ended',
        assistantId: o.assistantId,
        phoneNumberId: 'pn_1',
        customer: { number: o.customer ?? '+15551234567' },
      },
      artifact: {
        transcript: 'AI: Thanks for calling Acme Dental.\nUser: I need a cleaning.',
        messages: [{ role: 'bot', message: 'Thanks for calling Acme Dental', time: startedAt.getTime(), secondsFromStart: 0.9 }],
        recording: { stereoUrl: 'https://rec.example/stereo.wav', mono: { combinedUrl: 'https://rec.example/mono.wav' } },
      },
      analysis: { summary: 'Caller booked a cleaning Tue 3pm.', successEvaluation: 'true' },
    },
  };
}

export const statusUpdate = (callId: string, assistantId: string, status: string) => ({
  message: { type: 'status-update', status, timestamp: Date.now(), call: { id: callId, assistantId, type: 'inboundPhoneCall', customer: { number: '+15551234567' } } },
});

export const postVapi = (app: FastifyInstance, payload: object, secret = VAPI_SECRET) =>
  app.inject({ method: 'POST', url: '/api/webhooks/vapi', headers: { 'x-vapi-secret': secret }, payload });
