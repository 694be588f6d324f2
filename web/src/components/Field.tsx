import { useId, type InputHTMLAttributes, type ReactNode, type TextareaHTMLAttributes } from 'react';

interface FieldProps {
  label: string;
  error?: string;
  hint?: ReactNode;
}

/** Label, control, hint, limit and error, wired with ids so screen readers read them together. */
function useFieldIds(error?: string, hint?: ReactNode, maxLength?: number) {
  const id = useId();
  const describedBy = [error && `${id}-error`, hint && `${id}-hint`, maxLength && `${id}-count`].filter(Boolean).join(' ') || undefined;
  return { id, describedBy };
}

const count = (n: number) => n.toLocaleString('en-US');

/** Numbers, emails and passwords never come near their limit: a counter there is noise. */
const UNCOUNTED = new Set(['tel', 'email', 'password', 'numeric']);

/** The limit shown before submit (the same number as the server's schema, from src/domain/limits.ts). */
function FieldCount({ id, value, maxLength }: { id: string; value: unknown; maxLength?: number }) {
  if (!maxLength) return null;
  const used = typeof value === 'string' ? value.length : 0;
  return (
    <span className={`field-count${used >= maxLength ? ' field-count-full' : ''}`} id={`${id}-count`}>
      {count(used)} / {count(maxLength)} characters
    </span>
  );
}

function FieldFooter({ id, error, hint }: { id: string; error?: string; hint?: ReactNode }) {
  return (
    <>
      {hint && (
        <span className="field-hint" id={`${id}-hint`}>
          {hint}
        </span>
      )}
      {error && (
        <span className="field-error" id={`${id}-error`}>
          {error}
        </span>
      )}
    </>
  );
}

export function TextField({ label, error, hint, ...input }: FieldProps & InputHTMLAttributes<HTMLInputElement>) {
  const counted = UNCOUNTED.has(input.type ?? '') || UNCOUNTED.has(input.inputMode ?? '') ? undefined : input.maxLength;
  const { id, describedBy } = useFieldIds(error, hint, counted);
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} aria-invalid={!!error} aria-describedby={describedBy} {...input} />
      <FieldCount id={id} value={input.value} maxLength={counted} />
      <FieldFooter id={id} error={error} hint={hint} />
    </div>
  );
}

export function TextAreaField({ label, error, hint, ...area }: FieldProps & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const { id, describedBy } = useFieldIds(error, hint, area.maxLength);
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <textarea id={id} aria-invalid={!!error} aria-describedby={describedBy} {...area} />
      <FieldCount id={id} value={area.value} maxLength={area.maxLength} />
      <FieldFooter id={id} error={error} hint={hint} />
    </div>
  );
}
