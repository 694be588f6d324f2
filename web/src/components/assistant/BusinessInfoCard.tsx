import { useState, type FormEvent } from 'react';
import { LIMITS } from '../../../../src/domain/limits';
import { fieldErrorsOf } from '../../api';
import { PROMPT_PATHS, useSave } from '../../hooks';
import type { BusinessInfo } from '../../types';
import { Card } from '../Card';
import { TextAreaField, TextField } from '../Field';
import { SaveBar } from '../SaveBar';

/** Empty inputs clear the value on the server. */
const orNull = (s: string) => (s.trim() ? s.trim() : null);

export function BusinessInfoCard({ data }: { data: BusinessInfo }) {
  const [form, setForm] = useState({
    businessType: data.businessType ?? '',
    businessDescription: data.businessDescription ?? '',
    websiteUrl: data.websiteUrl ?? '',
  });
  const set = (key: keyof typeof form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [key]: e.target.value }));
  const save = useSave<Record<keyof typeof form, string | null>>('/api/business-info', 'PUT', PROMPT_PATHS);
  const errors = fieldErrorsOf(save.error);
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate({ businessType: orNull(form.businessType), businessDescription: orNull(form.businessDescription), websiteUrl: orNull(form.websiteUrl) });
  };
  return (
    <Card id="business" title="Business" description="What the assistant knows about you: it uses this to answer callers.">
      <form onSubmit={onSubmit} className="stack">
        <div className="row">
          <TextField label="Type of business" placeholder="Dental office" maxLength={LIMITS.businessType} value={form.businessType} onChange={set('businessType')} error={errors.businessType} />
          <TextField label="Website" type="url" placeholder="https://example.com" maxLength={LIMITS.websiteUrl} value={form.websiteUrl} onChange={set('websiteUrl')} error={errors.websiteUrl} />
        </div>
        <TextAreaField
          label="Description"
          rows={4}
          maxLength={LIMITS.businessDescription}
          placeholder="Family dental practice offering cleanings, fillings and whitening…"
          value={form.businessDescription}
          onChange={set('businessDescription')}
          error={errors.businessDescription}
        />
        <SaveBar mutation={save} />
      </form>
    </Card>
  );
}
