import { useState, type ReactNode } from 'react';

/**
 * A destructive action in two clicks: the first asks, the second does it. No modal, so
 * focus stays where it was and the phone layout needs nothing special.
 */
export function ConfirmButton({
  label,
  question,
  confirmLabel = 'Yes',
  onConfirm,
  pending,
  disabled,
}: {
  label: ReactNode;
  question: string;
  confirmLabel?: string;
  onConfirm: () => void;
  pending?: boolean;
  disabled?: boolean;
}) {
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <button type="button" className="button button-small button-danger" onClick={() => setAsking(true)} disabled={disabled || pending}>
        {pending ? 'Working…' : label}
      </button>
    );
  }
  return (
    <span className="confirm" role="group" aria-label={question}>
      <span className="small">{question}</span>
      <button
        type="button"
        className="button button-small button-danger-solid"
        autoFocus
        onClick={() => {
          setAsking(false);
          onConfirm();
        }}
      >
        {confirmLabel}
      </button>
      <button type="button" className="button button-small button-quiet" onClick={() => setAsking(false)}>
        Cancel
      </button>
    </span>
  );
}
