import { describe, expect, it } from 'vitest';
import { callStatusFromVapi, durationSeconds, parseEndOfCallReport } from '../../src/domain/calls.js';
import { areaCodeOf, isE164, toE164 } from '../../src/domain/phone.js';

const report = {
  type: 'end-of-call-report',
  timestamp: 1767225792400,
  endedReason: 'customer-ended-call',
  startedAt: '2026-01-01T00:00:00.000Z',
  endedAt: '2026-01-01T00:03:12.400Z',
  cost: 0.31,
  call: { id: 'call_123', type: 'inboundPhoneCall', status: 'ended', assistantId: 'asst_1', phoneNumberId: 'pn_1', customer: { number: '+15551234567' } },
  artifact: {
    transcript: 'AI: Thanks for calling Acme…\nUser: I need a cleaning…',
    messages: [{ role: 'bot', message: 'Thanks for calling Acme', time: 1767225601000, secondsFromStart: 0.9 }],
    recording: { stereoUrl: 'https://x/stereo.wav', mono: { combinedUrl: 'https://x/mono.wav' } },
  },
  analysis: { summary: 'Caller booked a cleaning Tue 3pm.', successEvaluation: 'true' },
};

describe('end-of-call report', () => {
  it("reads VAPI's documented field paths; duration is endedAt − startedAt", () => {
    expect(parseEndOfCallReport(report)).toEqual({
      vapiCallId: 'call_123',
      vapiAssistantId: 'asst_1',
      type: 'inboundPhoneCall',
      status: 'COMPLETED',
      customerNumber: '+15551234567',
      startedAt: new Date('2026-01-01T00:00:00.000Z'),
      endedAt: new Date('2026-01-01T00:03:12.400Z'),
      durationSeconds: 192,
      endedReason: 'customer-ended-call',
      transcript: report.artifact.transcript,
      summary: 'Caller booked a cleaning Tue 3pm.',
      recordingUrl: 'https://x/mono.wav',
      messages: report.artifact.messages,
      costCents: 31,
    });
  });

  it('reads summary and recording only where VAPI puts them; a flat durationSeconds is only a fallback', () => {
    const flat = parseEndOfCallReport({
      call: { id: 'c2' },
      durationSeconds: 61.4,
      // Not in VAPI's ServerMessageEndOfCallReport: never read.
      summary: 'Flat summary',
      recordingUrl: 'https://x/old.wav',
      endedReason: 'pipeline-error-openai-llm-failed',
    });
    expect(flat).toMatchObject({ durationSeconds: 61, status: 'FAILED' });
    expect(flat?.summary).toBeUndefined();
    expect(flat?.recordingUrl).toBeUndefined();
    expect(parseEndOfCallReport({ call: {} })).toBeUndefined();
  });

  it('maps statuses and refuses negative durations', () => {
    expect(callStatusFromVapi('in-progress')).toBe('IN_PROGRESS');
    expect(callStatusFromVapi('ended', 'assistant-ended-call')).toBe('COMPLETED');
    expect(callStatusFromVapi('weird')).toBeUndefined();
    expect(durationSeconds(new Date(2000), new Date(1000))).toBeUndefined();
  });
});

describe('phone numbers', () => {
  it('normalizes to E.164 and rejects impossible numbers', () => {
    expect(toE164('(415) 555-2671')).toBe('+14155552671');
    expect(toE164('+44 20 7946 0958')).toBe('+442079460958');
    expect(toE164('12345')).toBeUndefined();
    expect(isE164('+14155552671')).toBe(true);
    expect(isE164('4155552671')).toBe(false);
  });

  it('finds an area code in an address or phone text', () => {
    expect(areaCodeOf('Call us at (415) 555-2671')).toBe('415');
    expect(areaCodeOf('no number here')).toBeUndefined();
  });
});
