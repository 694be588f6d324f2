import { useEffect, useRef, useState, type FormEvent } from 'react';
import { LIMITS } from '../../../../src/domain/limits';
import { useMutation } from '@tanstack/react-query';
import { api, fieldErrorsOf } from '../../api';
import type { WebsiteAnalysis } from '../../types';
import { ErrorNote } from '../ErrorNote';
import { TextField } from '../Field';
import { ProgressBar } from '../ProgressBar';
import { normalizeUrl } from './answers';

/** Seconds since `running` turned on, for "still working" feedback. */
function useElapsed(running: boolean) {
  const [seconds, setSeconds] = useState(0);
  useEffect(() => {
    if (!running) return;
    setSeconds(0);
    const timer = setInterval(() => setSeconds((s) => s + 1), 1000);
    return () => clearInterval(timer);
  }, [running]);
  return seconds;
}

const hostOf = (url: string) => {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
};

/**
 * Step 1: the website, read by the server (up to 5 pages) while the owner watches. In sandbox
 * mode the server also offers its sample practice's site (`sampleUrl`), to try this offline.
 */
export function WebsiteStep({
  initialUrl,
  sampleUrl,
  onAnalyzed,
  onSkip,
}: {
  initialUrl: string;
  sampleUrl: string | null;
  onAnalyzed: (url: string, analysis: WebsiteAnalysis) => void;
  onSkip: () => void;
}) {
  const [url, setUrl] = useState(initialUrl);
  const controller = useRef<AbortController | null>(null);
  const analyze = useMutation({
    mutationFn: (target: string) => {
      controller.current = new AbortController();
      return api<WebsiteAnalysis>('/api/onboarding/analyze', { method: 'POST', body: { url: target }, signal: controller.current.signal });
    },
    onSuccess: (analysis, target) => onAnalyzed(target, analysis),
  });
  const elapsed = useElapsed(analyze.isPending);
  const cancelled = analyze.error instanceof DOMException && analyze.error.name === 'AbortError';
  // An unreadable site is explained next to the field; other failures below it.
  const urlError = fieldErrorsOf(analyze.error).url;

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    analyze.mutate(normalizeUrl(url));
  };

  return (
    <form onSubmit={onSubmit} className="stack">
      <div>
        <h1>Let&apos;s start with your website</h1>
        <p className="muted">We read it to learn your hours, address, phone and services, so you do not have to type them.</p>
      </div>
      <TextField
        label="Website address"
        inputMode="url"
        autoComplete="url"
        placeholder="www.yourbusiness.com"
        required
        maxLength={LIMITS.websiteUrl}
        value={url}
        onChange={(e) => setUrl(e.target.value)}
        disabled={analyze.isPending}
        error={urlError}
      />
      {sampleUrl && !analyze.isPending && (
        <p className="small muted">
          No website handy?{' '}
          <button
            type="button"
            className="button button-quiet button-small"
            onClick={() => {
              setUrl(sampleUrl);
              analyze.mutate(sampleUrl);
            }}
          >
            Try it with our sample practice
          </button>
        </p>
      )}
      {analyze.isPending && (
        <div className="analysis" role="status" aria-live="polite">
          <ProgressBar label="Reading your website" />
          <p>
            Reading up to 5 pages of <strong>{hostOf(normalizeUrl(url))}</strong>… <span className="muted">{elapsed} s</span>
          </p>
          <ul className="checklist muted small">
            <li>Home page, then contact, about, hours and services pages</li>
            <li>Business name, type and description</li>
            <li>Opening hours, address and phone number</li>
          </ul>
        </div>
      )}
      {!cancelled && !urlError && <ErrorNote error={analyze.error} />}
      <div className="wizard-actions">
        {analyze.isPending ? (
          <button type="button" className="button" onClick={() => controller.current?.abort()}>
            Cancel
          </button>
        ) : (
          <button type="button" className="button button-quiet" onClick={onSkip}>
            I don&apos;t have a website
          </button>
        )}
        <button type="submit" className="button button-primary" disabled={analyze.isPending || !url.trim()}>
          {analyze.isPending ? 'Reading…' : 'Read my website'}
        </button>
      </div>
    </form>
  );
}
