import { SecretBox } from '../CopyButton';

/** A signing secret in full, the one time the API shows it. */
export function SecretNote({ title, value }: { title: string; value: string }) {
  return (
    <div className="note note-success stack" role="status">
      <strong>{title}</strong>
      <SecretBox value={value} label="Signing secret" />
      <span className="small">
        Check each delivery’s <code>Epoch-Signature</code> header with it, as the <a href="/docs">API reference</a> describes.
      </span>
    </div>
  );
}
