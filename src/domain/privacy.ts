/**
 * The privacy choice as VAPI applies it to an assistant: redaction asks for HIPAA mode
 * (VAPI keeps no logs, recordings or transcripts in its default storage), and keeping
 * recordings 0 days means calls are not recorded at all.
 */
export const vapiPrivacy = (p: { redactPii: boolean; recordingRetentionDays: number | null }) => ({
  hipaa: p.redactPii,
  recording: p.recordingRetentionDays !== 0,
});
