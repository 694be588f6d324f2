import { useState, type FormEvent } from 'react';
import { LIMITS } from '../../../../src/domain/limits';
import { DEFAULT_TIER, hasFeature } from '../../../../src/domain/plans';
import { fieldErrorsOf } from '../../api';
import { useSession } from '../../auth';
import { useApi, useIsManager, useSave } from '../../hooks';
import type { Voicemail } from '../../types';
import { Card } from '../Card';
import { ErrorNote } from '../ErrorNote';
import { TextAreaField } from '../Field';
import { Loading } from '../Loading';
import { PlanNote, UpgradeNote } from '../PlanNote';
import { SaveBar } from '../SaveBar';

const PATH = '/api/voicemail';

function VoicemailForm({ saved, editable }: { saved: Voicemail; editable: boolean }) {
  const [enabled, setEnabled] = useState(saved.enabled);
  const [message, setMessage] = useState(saved.message ?? '');
  const save = useSave<{ enabled: boolean; message: string | null }>(PATH, 'PUT');
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate({ enabled, message: message.trim() || null });
  };
  const unchanged = enabled === saved.enabled && (message.trim() || null) === saved.message;
  return (
    <form onSubmit={onSubmit} className="stack">
      <fieldset className="plain stack" disabled={!editable}>
        <legend className="visually-hidden">Voicemail</legend>
        <label className="switch">
          <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} />
          Detect answering machines
        </label>
        <TextAreaField
          label="Message to leave (optional)"
          rows={3}
          maxLength={LIMITS.voicemailMessage}
          placeholder="Hi, this is Acme Dental calling about your appointment. Please call us back at…"
          hint="Without one, the assistant hangs up when a machine answers."
          value={message}
          onChange={(e) => setMessage(e.target.value)}
          error={fieldErrorsOf(save.error).message}
        />
      </fieldset>
      {editable && <SaveBar mutation={save} disabled={unchanged} />}
    </form>
  );
}

/** Outbound calls only: listen for an answering machine, and what to leave on it. */
export function VoicemailCard() {
  // RequireAuth has loaded the session before any dashboard page renders.
  const plan = useSession().data?.user?.plan ?? DEFAULT_TIER;
  const allowed = hasFeature(plan, 'outbound');
  const manager = useIsManager();
  const current = useApi<Voicemail>(PATH, { enabled: allowed });
  return (
    <Card
      id="voicemail"
      title="Voicemail on outbound calls"
      description="When the assistant calls someone and a machine answers, it can leave a message."
      aside={!allowed && <PlanNote feature="outbound" />}
    >
      {!allowed ? (
        <UpgradeNote feature="outbound">
          Outbound calls and voicemail detection come with the <PlanNote feature="outbound" />.
        </UpgradeNote>
      ) : (
        <>
          {current.isPending && <Loading />}
          <ErrorNote error={current.error} />
          {current.data && <VoicemailForm saved={current.data} editable={manager} />}
          {!manager && <p className="muted small">An owner or admin can change this.</p>}
        </>
      )}
    </Card>
  );
}
