import { useMutation } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api } from '../api';
import { formatDuration, formatPhone } from '../format';
import { USAGE_PATH, useApi, useInvalidate, useIsSandbox } from '../hooks';
import type { Usage } from '../types';
import { ErrorNote } from './ErrorNote';

/** POST /api/sandbox/simulate-call */
interface SimulatedCall {
  callId: string;
  customerNumber: string | null;
  durationSeconds: number | null;
}

/**
 * Sandbox mode only: says nothing here is real, and lets a new user play a call through the
 * VAPI emulator to watch it land in Calls and in the minutes used (or sends them to finish setup first).
 */
export function SandboxBanner() {
  const sandbox = useIsSandbox();
  // The active assistant decides whether a call can be played, as on the server.
  const usage = useApi<Usage>(USAGE_PATH, { enabled: sandbox });
  const invalidate = useInvalidate();
  const simulate = useMutation({
    mutationFn: () => api<SimulatedCall>('/api/sandbox/simulate-call', { method: 'POST' }),
    onSuccess: () => invalidate('/api/calls', USAGE_PATH),
  });
  if (!sandbox) return null;
  const played = simulate.data;

  return (
    <section className="sandbox-banner" aria-labelledby="sandbox-title">
      <p>
        <strong id="sandbox-title">Sandbox mode.</strong> Phone, payments and texts are emulated here: no real calls, charges or texts.
      </p>
      {usage.data && !usage.data.assistant ? (
        <p className="sandbox-actions">
          <span>Finish setup to try a call with your receptionist.</span>
          <Link to="/onboarding" className="button button-small">
            Finish setup
          </Link>
        </p>
      ) : (
        <div className="sandbox-actions">
          <button
            type="button"
            className="button button-primary button-small"
            onClick={() => simulate.mutate()}
            disabled={!usage.data || simulate.isPending}
          >
            {simulate.isPending ? 'Calling…' : 'Simulate a call'}
          </button>
          {/* Always in the page, so screen readers announce what appears in it. */}
          <p role="status" aria-live="polite">
            {played && (
              <>
                Your assistant answered a call from {formatPhone(played.customerNumber)} ({formatDuration(played.durationSeconds)}).{' '}
                <Link to={`/dashboard/calls/${played.callId}`}>See the call</Link>
              </>
            )}
          </p>
          <ErrorNote error={simulate.error} />
        </div>
      )}
    </section>
  );
}
