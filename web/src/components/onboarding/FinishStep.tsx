import { Link } from 'react-router';
import { useMutation } from '@tanstack/react-query';
import { api } from '../../api';
import { formatPhone } from '../../format';
import { USAGE_PATH, useApi, useInvalidate } from '../../hooks';
import type { OnboardingAnswers, OnboardingResult, OnboardingStatus } from '../../types';
import { ErrorNote } from '../ErrorNote';
import type { WizardAnswers } from './answers';

/** The server's provisioning steps, grouped as the owner thinks of them. */
const PHASES = [
  { key: 'assistant', label: 'Create your assistant', steps: ['vapi-assistant', 'assistant-record'] },
  { key: 'knowledge', label: 'Teach it your website', steps: ['knowledge-website'] },
  { key: 'number', label: 'Get your phone number', steps: ['twilio-sip-trunk', 'twilio-number', 'vapi-number'] },
] as const;

const STEP_LABELS: Record<string, string> = {
  'vapi-assistant': 'creating the assistant',
  'assistant-record': 'saving the assistant',
  'knowledge-website': 'uploading the website knowledge',
  'twilio-sip-trunk': 'setting up the phone line',
  'twilio-number': 'buying the number',
  'vapi-number': 'connecting the number to the assistant',
};

type PhaseState = 'waiting' | 'running' | 'done' | 'failed';

type Phase = (typeof PHASES)[number];

/** While the run is going: phases whose steps are all recorded are done, the first other one runs. */
function livePhaseStates(phases: ReadonlyArray<Phase>, status: OnboardingStatus | undefined): PhaseState[] {
  const done = new Set(status?.provisioning.stepsDone);
  // The phone steps are forgotten once the number is stored: the number stands for them.
  const isDone = (p: Phase) => (p.key === 'number' && !!status?.phoneNumber) || p.steps.every((s) => done.has(s));
  const running = phases.findIndex((p) => !isDone(p));
  return phases.map((p, i) => (isDone(p) ? 'done' : i === running ? 'running' : 'waiting'));
}

function phaseStates(phases: ReadonlyArray<Phase>, pending: boolean, live: OnboardingStatus | undefined, result: OnboardingResult | undefined): PhaseState[] {
  if (pending) return livePhaseStates(phases, live);
  if (!result) return phases.map(() => 'waiting');
  if (result.completed) return phases.map(() => 'done');
  const failedStep = result.provisioningErrors[0]?.step;
  const failedAt = phases.findIndex((p) => (p.steps as readonly string[]).includes(failedStep ?? ''));
  return phases.map((_, i) => (failedAt === -1 ? 'waiting' : i < failedAt ? 'done' : i === failedAt ? 'failed' : 'waiting'));
}

const ICON: Record<PhaseState, string> = { waiting: '○', running: '', done: '✓', failed: '✕' };

/** Step 4: a summary, then provisioning; a failed step shows where it stopped and resumes from there. */
export function FinishStep({ answers, data, onBack }: { answers: WizardAnswers; data: Partial<OnboardingAnswers>; onBack: () => void }) {
  const invalidate = useInvalidate();
  const finish = useMutation({
    mutationFn: () => api<OnboardingResult>('/api/onboarding', { method: 'POST', body: { onboardingData: data, complete: true } }),
    onSuccess: (result) => (result.completed ? invalidate('/api/onboarding', USAGE_PATH, '/api/phone-numbers') : undefined),
  });
  // Polled only while provisioning runs, so each finished step shows as it lands.
  const progress = useApi<OnboardingStatus>('/api/onboarding', { refetchInterval: finish.isPending ? 400 : false });
  const phases = PHASES.filter((p) => p.key !== 'knowledge' || !!answers.form.websiteUrl);
  const states = phaseStates(phases, finish.isPending, progress.data, finish.data);
  const failure = finish.data?.provisioningErrors[0];
  const { form, voice } = answers;

  if (finish.data?.completed) {
    return (
      <div className="stack wizard-done" role="status">
        <span className="done-mark" aria-hidden="true">
          ✓
        </span>
        <h1>Your receptionist is ready</h1>
        {finish.data.phoneNumber ? (
          <>
            <p className="muted">Callers reach {voice?.name ?? 'your assistant'} at</p>
            <p className="big-number" data-testid="new-number">
              {formatPhone(finish.data.phoneNumber)}
            </p>
            <p className="muted small">Forward your business line to it, or give it out as is.</p>
          </>
        ) : (
          <p className="muted">Your assistant is set up.</p>
        )}
        <Link to="/dashboard" className="button button-primary">
          Go to your dashboard
        </Link>
      </div>
    );
  }

  return (
    <div className="stack">
      <div>
        <h1>Ready to go live</h1>
        <p className="muted">This creates your assistant and gives it a phone number. It takes a few seconds.</p>
      </div>
      <dl className="summary">
        <dt>Business</dt>
        <dd>{form.businessName || '—'}</dd>
        <dt>Voice and name</dt>
        <dd>{voice?.name ?? 'Default'}</dd>
        <dt>Address</dt>
        <dd>{form.address || '—'}</dd>
        <dt>Time zone</dt>
        <dd>{form.timezone.replaceAll('_', ' ')}</dd>
      </dl>
      <ol className="provision" aria-label="Setup steps" aria-live="polite">
        {phases.map((p, i) => (
          <li key={p.key} className={`provision-${states[i]}`}>
            <span className="provision-icon" aria-hidden="true">
              {states[i] === 'running' ? <span className="spinner" /> : ICON[states[i]!]}
            </span>
            <span>
              <strong>{p.label}</strong>
              <span className="visually-hidden"> — {states[i]}</span>
              {states[i] === 'failed' && failure && (
                <span className="provision-error" role="alert">
                  Stopped while {STEP_LABELS[failure.step] ?? failure.step} (<code>{failure.step}</code>): {failure.message}
                </span>
              )}
            </span>
          </li>
        ))}
      </ol>
      <ErrorNote error={finish.error} />
      <div className="wizard-actions">
        <button type="button" className="button button-quiet" onClick={onBack} disabled={finish.isPending}>
          ← Back
        </button>
        <button type="button" className="button button-primary" onClick={() => finish.mutate()} disabled={finish.isPending}>
          {finish.isPending ? 'Setting up…' : failure || finish.error ? 'Retry' : 'Create my receptionist'}
        </button>
      </div>
      {failure && <p className="muted small">Retry picks up at the step that failed; finished steps are not repeated.</p>}
    </div>
  );
}
