import { useEffect, useState } from 'react';

/** Copies `text` to the clipboard and says so for two seconds (also to screen readers). */
export function CopyButton({ text, label = 'Copy' }: { text: string; label?: string }) {
  const [copied, setCopied] = useState<boolean | null>(null);
  useEffect(() => {
    if (copied === null) return;
    const timer = setTimeout(() => setCopied(null), 2000);
    return () => clearTimeout(timer);
  }, [copied]);

  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(true);
    } catch {
      setCopied(false);
    }
  }

  return (
    <button type="button" className="button button-small" onClick={copy}>
      <span aria-live="polite">{copied === true ? '✓ Copied' : copied === false ? 'Select and copy by hand' : label}</span>
    </button>
  );
}

/** A secret or snippet shown in full once, with its copy button. */
export function SecretBox({ value, label }: { value: string; label: string }) {
  return (
    <div className="secret">
      <code className="secret-value" aria-label={label}>
        {value}
      </code>
      <CopyButton text={value} />
    </div>
  );
}
