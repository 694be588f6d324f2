import { ApiError, messageOf } from '../api';

/** An API error as a person reads it; a plan gate reads as an upgrade hint, not a failure. */
export function ErrorNote({ error }: { error: unknown }) {
  if (!error) return null;
  const planGate = error instanceof ApiError && error.code === 'PLAN_REQUIRED';
  return (
    <p className={planGate ? 'note note-upgrade' : 'note note-error'} role="alert">
      {planGate && <strong>Upgrade needed. </strong>}
      {messageOf(error)}
    </p>
  );
}
