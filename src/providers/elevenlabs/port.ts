/** A voice an assistant can speak with. */
export interface Voice {
  /** ElevenLabs `voice_id`: what VAPI's `voice.voiceId` takes. */
  id: string;
  name: string;
  /** As ElevenLabs labels it: usually "female" or "male"; "" when unlabeled. */
  gender: string;
  /** One line for a picker, e.g. "Calm young American female voice (narration)". */
  description: string;
  /** A short MP3 sample a browser can play. */
  previewUrl: string;
}

/** ElevenLabs' voice catalog in our vocabulary. */
export interface VoiceCatalogProvider {
  /** The voices to offer, in catalog order; a failure is a ProviderError with the HTTP status. */
  listVoices(): Promise<Voice[]>;
}
