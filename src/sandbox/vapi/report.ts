import type { AssistantDoc, CallDoc } from './shared.js';
import { structuredDataOf, wantsStructuredData } from './outcome.js';

/** One entry of a call's `artifact.messages`, placed in time by `secondsFromStart`. */
export type TimelineMessage = { role: string; secondsFromStart: number } & Record<string, unknown>;

const DEFAULT_CONVERSATION = [
  'User: Hi, I would like to know your opening hours.',
  'AI: Of course! We are open Monday to Friday, nine to five. Anything else I can help with?',
  'User: No, that is all. Thank you!',
];

/** The spoken lines of a call: `AI: …` is the assistant, anything else the caller. */
function spokenLines(assistant: AssistantDoc, transcript: string | undefined) {
  const lines = transcript?.split('\n') ?? [`AI: ${assistant.firstMessage ?? 'Hello, how can I help you today?'}`, ...DEFAULT_CONVERSATION];
  return lines
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const [, speaker = '', text = line] = /^(AI|Assistant|Bot|User|Customer|Caller):\s*(.*)$/i.exec(line) ?? [];
      return { role: /^(AI|Assistant|Bot)$/i.test(speaker) ? ('bot' as const) : ('user' as const), message: text };
    });
}

/** The call's messages as VAPI records them: the system prompt, the spoken turns and the tool calls, in time order. */
export function buildTimeline(input: {
  assistant: AssistantDoc;
  transcript?: string;
  toolMessages: TimelineMessage[];
  startedAt: Date;
  durationSeconds: number;
}) {
  const lines = spokenLines(input.assistant, input.transcript);
  const start = input.startedAt.getTime();
  const turn = input.durationSeconds / (lines.length + 1);
  const spoken: TimelineMessage[] = lines.map((line, i) => ({
    ...line,
    secondsFromStart: turn * (i + 0.5),
    duration: turn * 1000 * 0.8,
    endTime: start + turn * (i + 0.5) * 1000 + turn * 1000 * 0.8,
  }));
  const systemPrompt = input.assistant.model?.messages?.find((m) => m.role === 'system')?.content ?? '';
  const messages = [{ role: 'system', message: systemPrompt, secondsFromStart: 0 }, ...spoken, ...input.toolMessages]
    .sort((a, b) => a.secondsFromStart - b.secondsFromStart)
    .map((m) => ({ ...m, time: start + m.secondsFromStart * 1000 }));
  const transcript = lines.map((l) => `${l.role === 'bot' ? 'AI' : 'User'}: ${l.message}`).join('\n');
  return { messages, transcript };
}

/** Sandbox calls cost 10 cents a minute. */
const DOLLARS_PER_MINUTE = 0.1;

/**
 * The ended call's fields (kept on the call: transcript and recording under `artifact`,
 * summary under `analysis`, as VAPI's Call has them) and its `end-of-call-report` in VAPI's shape. The report has no duration:
 * receivers derive it from endedAt − startedAt.
 */
export function buildEndOfCall(input: {
  appUrl: string;
  call: CallDoc;
  assistant: AssistantDoc;
  timeline: ReturnType<typeof buildTimeline>;
  startedAt: Date;
  endedAt: Date;
  endedReason: string;
  summary?: string;
}) {
  const seconds = (input.endedAt.getTime() - input.startedAt.getTime()) / 1000;
  const minutes = Math.round((seconds / 60) * 10_000) / 10_000;
  const cost = Math.round(minutes * DOLLARS_PER_MINUTE * 10_000) / 10_000;
  const recordings = `${input.appUrl}/sandbox/vapi/storage/recordings/${input.call.id}`;
  const recording = { stereoUrl: `${recordings}/stereo.wav`, mono: { combinedUrl: `${recordings}/mono.wav` } };
  // An assistant with artifactPlan.recordingEnabled false records nothing, as at VAPI.
  const recorded = (input.assistant.artifactPlan as { recordingEnabled?: boolean } | undefined)?.recordingEnabled !== false;
  const artifact = {
    messages: input.timeline.messages,
    transcript: input.timeline.transcript,
    ...(recorded ? { recording, recordingUrl: recording.mono.combinedUrl, stereoRecordingUrl: recording.stereoUrl } : {}),
  };
  const summary = input.summary ?? `Sandbox call of ${Math.round(seconds)} seconds with ${input.assistant.name ?? 'the assistant'}.`;
  // Only where VAPI puts it: analysis.structuredData, and only when the assistant asks for it.
  const structuredData = wantsStructuredData(input.assistant)
    ? structuredDataOf({
        messages: input.timeline.messages,
        toolNames: input.timeline.messages.flatMap((m: Record<string, unknown>) => (m.role === 'tool_call_result' && typeof m.name === 'string' ? [m.name] : [])),
        customerNumber: input.call.customer?.number,
      })
    : undefined;
  const analysis = { summary, successEvaluation: 'true', ...(structuredData ? { structuredData } : {}) };
  const ended = {
    startedAt: input.startedAt.toISOString(),
    endedAt: input.endedAt.toISOString(),
    endedReason: input.endedReason,
    cost,
    costs: [{ type: 'vapi', subType: 'normal', minutes, cost }],
  };
  return {
    callFields: {
      ...ended,
      messages: input.timeline.messages,
      artifact,
      analysis,
    },
    report: { type: 'end-of-call-report', ...ended, artifact, analysis },
  };
}
