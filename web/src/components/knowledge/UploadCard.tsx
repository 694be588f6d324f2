import { useRef, useState, type FormEvent } from 'react';
import { LIMITS } from '../../../../src/domain/limits';
import { useMutation } from '@tanstack/react-query';
import { upload } from '../../api';
import { PROMPT_PATHS, useInvalidate } from '../../hooks';
import type { KbUpload } from '../../types';
import { Card } from '../Card';
import { ErrorNote } from '../ErrorNote';
import { TextField } from '../Field';
import { ProgressBar } from '../ProgressBar';
import { KB_PATH } from './SectionCard';

/** The server's cap (MAX_UPLOAD_BYTES): checked here first so nobody waits for a 413. */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
const ACCEPT = '.pdf,.docx,.csv,.txt,application/pdf,application/vnd.openxmlformats-officedocument.wordprocessingml.document,text/csv,text/plain';

const formatBytes = (n: number) => (n < 1024 * 1024 ? `${Math.max(1, Math.round(n / 1024))} KB` : `${(n / 1024 / 1024).toFixed(1)} MB`);

/** A PDF, DOCX, CSV or TXT file becomes a section, with upload progress. */
export function UploadCard({ canEdit }: { canEdit: boolean }) {
  const input = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const [section, setSection] = useState('');
  const [progress, setProgress] = useState(0);
  const [tooBig, setTooBig] = useState<string | null>(null);
  const invalidate = useInvalidate();
  const send = useMutation({
    mutationFn: (f: File) => {
      const form = new FormData();
      if (section.trim()) form.append('section', section.trim().toLowerCase());
      form.append('file', f);
      setProgress(0);
      return upload<KbUpload>(`${KB_PATH}/upload`, form, setProgress);
    },
    onSuccess: () => {
      setFile(null);
      setSection('');
      if (input.current) input.current.value = '';
      return invalidate(KB_PATH, ...PROMPT_PATHS);
    },
  });

  const pick = (f: File | undefined) => {
    send.reset();
    setTooBig(f && f.size > MAX_UPLOAD_BYTES ? `${f.name} is ${formatBytes(f.size)}: files are limited to 10 MB.` : null);
    setFile(f ?? null);
  };
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (file && !tooBig) send.mutate(file);
  };

  return (
    <Card id="upload" title="Upload a document" description="A price list, menu, FAQ or policy: PDF, Word (.docx), CSV or text, up to 10 MB. Its text becomes a section.">
      <form onSubmit={onSubmit} className="stack">
        <div className="row">
          <div className="field">
            <label htmlFor="kb-file">File</label>
            <input
              ref={input}
              id="kb-file"
              type="file"
              accept={ACCEPT}
              disabled={!canEdit || send.isPending}
              aria-invalid={!!tooBig}
              aria-describedby={tooBig ? 'kb-file-error' : undefined}
              onChange={(e) => pick(e.target.files?.[0])}
            />
            {tooBig && (
              <span className="field-error" id="kb-file-error">
                {tooBig}
              </span>
            )}
          </div>
          <TextField
            label="Section name (optional)"
            placeholder="from the file name"
            maxLength={LIMITS.kbSectionName}
            value={section}
            onChange={(e) => setSection(e.target.value)}
            disabled={!canEdit || send.isPending}
            hint="An existing name replaces that section."
          />
        </div>
        {send.isPending && (
          <div className="upload-progress">
            <ProgressBar label={`Uploading ${file?.name ?? 'file'}`} value={progress} />
            <span className="muted small" aria-live="polite">
              {progress < 1 ? `Uploading… ${Math.round(progress * 100)}%` : 'Reading the document…'}
            </span>
          </div>
        )}
        {send.isSuccess && (
          <p className="note note-success" role="status">
            Added {send.data.fileName} ({formatBytes(send.data.fileSize)}).
          </p>
        )}
        <ErrorNote error={send.error} />
        <div className="save-bar">
          <button type="submit" className="button button-primary" disabled={!canEdit || !file || !!tooBig || send.isPending}>
            {send.isPending ? 'Uploading…' : 'Upload'}
          </button>
          {file && !tooBig && !send.isPending && <span className="muted small">{`${file.name} · ${formatBytes(file.size)}`}</span>}
        </div>
      </form>
    </Card>
  );
}
