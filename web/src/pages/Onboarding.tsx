import { useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import { useMutation } from '@tanstack/react-query';
import { api, fieldErrorsOf } from '../api';
import { ErrorNote } from '../components/ErrorNote';
import { Loading } from '../components/Loading';
import { Logo } from '../components/Logo';
import { initialAnswers, LAST_STEP, resumeStep, toOnboardingData, withAnalysis, type WizardAnswers } from '../components/onboarding/answers';
import { FinishStep } from '../components/onboarding/FinishStep';
import { ReviewStep } from '../components/onboarding/ReviewStep';
import { VoiceStep } from '../components/onboarding/VoiceStep';
import { WebsiteStep } from '../components/onboarding/WebsiteStep';
import { formatPhone } from '../format';
import { useApi, useTitle } from '../hooks';
import type { OnboardingAnswers, OnboardingResult, OnboardingStatus, WebsiteAnalysis } from '../types';

const STEPS = ['Website', 'Details', 'Voice', 'Go live'] as const;

/** The frame: logo, where you are in the four steps, the step, and a way out before the last step. */
function WizardFrame({ step, children }: { step: number; children: ReactNode }) {
  return (
    <main className="wizard-layout">
      <Logo />
      <ol className="wizard-steps" aria-label="Setup progress">
        {STEPS.map((label, i) => (
          <li key={label} className={i < step ? 'step-done' : i === step ? 'step-current' : undefined} aria-current={i === step ? 'step' : undefined}>
            <span className="step-number" aria-hidden="true">
              {i < step ? '✓' : i + 1}
            </span>
            <span>{label}</span>
          </li>
        ))}
      </ol>
      <div className="wizard-card">{children}</div>
      {step < LAST_STEP && (
        <p className="small">
          <Link to="/dashboard">Skip for now and go to the dashboard</Link>
        </p>
      )}
    </main>
  );
}

export function Onboarding() {
  useTitle('Set up your receptionist');
  const status = useApi<OnboardingStatus>('/api/onboarding');
  // The first answer decides: later refetches (after finishing) must not unmount the wizard.
  const [initial, setInitial] = useState<OnboardingStatus | null>(null);
  if (!initial && status.data) setInitial(status.data);

  if (!initial) {
    return (
      <WizardFrame step={0}>
        {status.isError ? <ErrorNote error={status.error} /> : <Loading />}
      </WizardFrame>
    );
  }
  if (initial.completed) {
    return (
      <WizardFrame step={STEPS.length}>
        <div className="stack">
          <h1>You are all set</h1>
          <p className="muted">
            Your receptionist is live{initial.phoneNumber ? ` at ${formatPhone(initial.phoneNumber)}` : ''}. Change anything from the assistant settings.
          </p>
          <Link to="/dashboard" className="button button-primary">
            Go to your dashboard
          </Link>
        </div>
      </WizardFrame>
    );
  }
  return <Wizard status={initial} />;
}

function Wizard({ status }: { status: OnboardingStatus }) {
  // A reload resumes where the owner was, with every answer (the voice too) as the server kept it.
  const [step, setStep] = useState(() => resumeStep(status.data));
  const [answers, setAnswers] = useState<WizardAnswers>(() => initialAnswers(status.data, status.organizationName));
  const [analysis, setAnalysis] = useState<WebsiteAnalysis | null>(null);
  // Each "next" saves what is known so far and the step it leads to: the server validates it, and a reload resumes there.
  const save = useMutation({
    mutationFn: (data: Partial<OnboardingAnswers>) => api<OnboardingResult>('/api/onboarding', { method: 'POST', body: { onboardingData: data, complete: false } }),
  });
  const go = (to: number) => {
    save.reset();
    setStep(to);
    window.scrollTo(0, 0);
  };
  /** Saves, then moves on; `always` moves on even when the save fails (the details step checks them again). */
  const saveAndGo = (next: WizardAnswers, to: number, always = false) =>
    save.mutate({ ...toOnboardingData(next), step: to }, always ? { onSettled: () => go(to) } : { onSuccess: () => go(to) });

  return (
    <WizardFrame step={step}>
      {step === 0 && (
        <WebsiteStep
          initialUrl={answers.form.websiteUrl}
          sampleUrl={status.sampleWebsiteUrl}
          onAnalyzed={(url, result) => {
            const next = withAnalysis(answers, url, result);
            setAnalysis(result);
            setAnswers(next);
            saveAndGo(next, 1, true);
          }}
          onSkip={() => {
            const next = { ...answers, form: { ...answers.form, websiteUrl: '' } };
            setAnswers(next);
            saveAndGo(next, 1, true);
          }}
        />
      )}
      {step === 1 && (
        <ReviewStep
          form={answers.form}
          week={answers.week}
          analysis={analysis}
          onForm={(form) => setAnswers((a) => ({ ...a, form }))}
          onWeek={(week) => setAnswers((a) => ({ ...a, week }))}
          onBack={() => go(0)}
          onNext={() => saveAndGo(answers, 2)}
          saving={save.isPending}
          error={save.error}
          errors={fieldErrorsOf(save.error)}
        />
      )}
      {step === 2 && (
        <VoiceStep
          voice={answers.voice}
          onVoice={(v) => setAnswers((a) => ({ ...a, voice: { id: v.id, name: v.name } }))}
          onBack={() => go(1)}
          onNext={() => saveAndGo(answers, LAST_STEP)}
          saving={save.isPending}
          error={save.error}
        />
      )}
      {step === LAST_STEP && <FinishStep answers={answers} data={toOnboardingData(answers)} onBack={() => go(2)} />}
    </WizardFrame>
  );
}
