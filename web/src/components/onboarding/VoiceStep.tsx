import type { FormEvent } from 'react';
import { DEFAULT_TIER, hasFeature, minimumTierFor, PLANS, type PlanTier } from '../../../../src/domain/plans';
import { useSession } from '../../auth';
import { useApi } from '../../hooks';
import type { CatalogVoice } from '../../types';
import { ErrorNote } from '../ErrorNote';
import { Loading } from '../Loading';
import { VoicePicker } from '../VoicePicker';
import type { WizardAnswers } from './answers';

const planOf = (feature: 'editVoice' | 'editAssistantName') => `${PLANS[minimumTierFor(feature)].label} plan`;

/** What the owner can change after onboarding, true for their plan (the plan table decides). */
function changeLaterNote(plan: PlanTier) {
  const voice = hasFeature(plan, 'editVoice');
  const name = hasFeature(plan, 'editAssistantName');
  if (voice && name) return 'You can change both later.';
  if (voice) return `You can change the voice later; changing the name comes with the ${planOf('editAssistantName')}.`;
  return `Changing the voice later comes with the ${planOf('editVoice')}, and the name with the ${planOf('editAssistantName')}.`;
}

/** Step 3: the voice callers hear; its name becomes the assistant's name. */
export function VoiceStep({
  voice,
  onVoice,
  onBack,
  onNext,
  saving,
  error,
}: {
  voice: WizardAnswers['voice'];
  onVoice: (v: CatalogVoice) => void;
  onBack: () => void;
  onNext: () => void;
  saving: boolean;
  error: unknown;
}) {
  const catalog = useApi<CatalogVoice[]>('/api/voice/catalog');
  const plan = useSession().data?.user?.plan ?? DEFAULT_TIER;
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    onNext();
  };
  return (
    <form onSubmit={onSubmit} className="stack">
      <div>
        <h1>Pick a voice</h1>
        <p className="muted">
          Play a few previews. The voice&apos;s name becomes your assistant&apos;s name. {changeLaterNote(plan)}
        </p>
      </div>
      {catalog.isPending && <Loading label="Loading voices…" />}
      <ErrorNote error={catalog.error} />
      {catalog.data && <VoicePicker voices={catalog.data} value={voice?.id ?? null} onChange={onVoice} />}
      <ErrorNote error={error} />
      <div className="wizard-actions">
        <button type="button" className="button button-quiet" onClick={onBack}>
          ← Back
        </button>
        <button type="submit" className="button button-primary" disabled={!voice || saving}>
          {saving ? 'Saving…' : voice ? `Continue with ${voice.name}` : 'Pick a voice to continue'}
        </button>
      </div>
    </form>
  );
}
