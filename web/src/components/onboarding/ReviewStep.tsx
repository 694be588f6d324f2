import type { FormEvent } from 'react';
import { LIMITS } from '../../../../src/domain/limits';
import type { WebsiteAnalysis } from '../../types';
import { ErrorNote } from '../ErrorNote';
import { TextAreaField, TextField } from '../Field';
import { copyMondayToWeekdays, TimeZoneSelect, WeekEditor, type Week } from '../WeekEditor';
import type { BusinessForm } from './answers';

/** Step 2: what the website said (or nothing), for the owner to check and correct. */
export function ReviewStep({
  form,
  week,
  analysis,
  onForm,
  onWeek,
  onBack,
  onNext,
  saving,
  error,
  errors,
}: {
  form: BusinessForm;
  week: Week;
  analysis: WebsiteAnalysis | null;
  onForm: (form: BusinessForm) => void;
  onWeek: (week: Week) => void;
  onBack: () => void;
  onNext: () => void;
  saving: boolean;
  error: unknown;
  errors: Record<string, string>;
}) {
  const set = (key: keyof BusinessForm) => (e: { target: { value: string } }) => onForm({ ...form, [key]: e.target.value });
  const err = (key: string) => errors[`onboardingData.${key}`];
  const areaCode = /^\+?1?[\s(.-]*([2-9]\d{2})/.exec(form.phone.trim())?.[1];
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    onNext();
  };

  return (
    <form onSubmit={onSubmit} className="stack">
      <div>
        <h1>Check your business details</h1>
        <p className="muted">Your assistant tells callers exactly this. Correct anything that is off.</p>
      </div>
      {analysis && (
        <div className="note note-success" role="status">
          We read {analysis.pagesScraped} page{analysis.pagesScraped === 1 ? '' : 's'} of your website
          {analysis.extractedData.hours ? ' and found your opening hours' : ''}.
          {analysis.scrapeWarnings.length > 0 && (
            <details className="small">
              <summary>
                {analysis.scrapeWarnings.length} page{analysis.scrapeWarnings.length === 1 ? '' : 's'} could not be read
              </summary>
              <ul>
                {analysis.scrapeWarnings.map((w) => (
                  <li key={w}>{w}</li>
                ))}
              </ul>
            </details>
          )}
        </div>
      )}
      <div className="row">
        <TextField label="Business name" required maxLength={LIMITS.businessName} autoComplete="organization" value={form.businessName} onChange={set('businessName')} error={err('businessName')} />
        <TextField label="Type of business" placeholder="Dental office" maxLength={LIMITS.businessType} value={form.businessType} onChange={set('businessType')} error={err('businessType')} />
      </div>
      <TextAreaField
        label="Description"
        rows={3}
        maxLength={LIMITS.businessDescription}
        placeholder="Family dental practice offering cleanings, fillings and whitening…"
        value={form.description}
        onChange={set('description')}
        error={err('description')}
      />
      <div className="row">
        <TextField
          label="Business phone"
          type="tel"
          autoComplete="tel"
          maxLength={LIMITS.phoneNumber}
          value={form.phone}
          onChange={set('phone')}
          hint={areaCode ? `Your new number gets the same area code, ${areaCode}.` : 'Your new number gets its area code, or your address’s.'}
          error={err('phone')}
        />
        <TextField label="Address" autoComplete="street-address" maxLength={LIMITS.businessAddress} value={form.address} onChange={set('address')} error={err('address')} />
      </div>
      <fieldset className="plain">
        <legend className="field-label">Opening hours</legend>
        <div className="stack">
          <TimeZoneSelect id="onboarding-timezone" value={form.timezone} onChange={(timezone) => onForm({ ...form, timezone })} error={err('timezone')} />
          <WeekEditor week={week} onChange={onWeek} errors={errors} prefix="onboardingData.hours" />
          <div>
            <button type="button" className="button button-quiet button-small" onClick={() => onWeek(copyMondayToWeekdays(week))}>
              Copy Monday to Tue–Fri
            </button>
          </div>
        </div>
      </fieldset>
      <ErrorNote error={error} />
      <div className="wizard-actions">
        <button type="button" className="button button-quiet" onClick={onBack}>
          ← Back
        </button>
        <button type="submit" className="button button-primary" disabled={saving}>
          {saving ? 'Saving…' : 'Looks good, next'}
        </button>
      </div>
    </form>
  );
}
