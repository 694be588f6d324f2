import type { BusinessHours } from '../../../../src/domain/hours';
import { humanize } from '../../format';
import type { CatalogVoice, OnboardingAnswers, WebsiteAnalysis } from '../../types';
import { browserTimeZone, OFFICE_WEEK, toHours, toWeek, type Week } from '../WeekEditor';

/** What the review step edits, as strings for the inputs. */
export interface BusinessForm {
  businessName: string;
  businessType: string;
  description: string;
  websiteUrl: string;
  phone: string;
  address: string;
  timezone: string;
}

export interface WizardAnswers {
  form: BusinessForm;
  week: Week;
  voice: Pick<CatalogVoice, 'id' | 'name'> | null;
}

/** Where a returning owner left off: the answers the server saved, the organization's name first. */
export function initialAnswers(saved: Partial<OnboardingAnswers>, organizationName: string): WizardAnswers {
  return {
    form: {
      businessName: saved.businessName ?? organizationName,
      businessType: saved.businessType ?? '',
      description: saved.description ?? '',
      websiteUrl: saved.websiteUrl ?? '',
      phone: saved.phone ?? '',
      address: saved.address ?? '',
      timezone: saved.timezone ?? browserTimeZone(),
    },
    week: saved.hours ? toWeek(saved.hours) : OFFICE_WEEK,
    voice: saved.voiceId ? { id: saved.voiceId, name: saved.voiceName ?? saved.voiceId } : null,
  };
}

/** The wizard's last step (Go live). */
export const LAST_STEP = 3;
/** The voice step: going live needs a voice picked. */
const VOICE_STEP = 2;

/** Where a reload resumes: the step the server kept, but never past the voice step without a voice. */
export function resumeStep(saved: Partial<OnboardingAnswers>): number {
  const step = Math.min(Math.max(Math.trunc(saved.step ?? 0), 0), LAST_STEP);
  return step > VOICE_STEP && !saved.voiceId ? VOICE_STEP : step;
}

/** What the website said, over what was typed: only the facts it found replace anything. */
export function withAnalysis(answers: WizardAnswers, url: string, analysis: WebsiteAnalysis): WizardAnswers {
  const x = analysis.extractedData;
  const f = answers.form;
  return {
    ...answers,
    form: {
      ...f,
      websiteUrl: url,
      businessName: x.businessName ?? f.businessName,
      // schema.org-style types ("dental_office") read better as words.
      businessType: x.businessType ? humanize(x.businessType).slice(0, 60) : f.businessType,
      description: x.description?.slice(0, 2000) ?? f.description,
      phone: x.phone ?? f.phone,
      address: x.address?.slice(0, 300) ?? f.address,
    },
    week: x.hours ? toWeek(x.hours as BusinessHours) : answers.week,
  };
}

/** The body's `onboardingData`: empty inputs are left out rather than sent as "". */
export function toOnboardingData({ form, week, voice }: WizardAnswers): Partial<OnboardingAnswers> {
  const out: Partial<OnboardingAnswers> = { hours: toHours(week), timezone: form.timezone };
  for (const key of ['businessName', 'businessType', 'description', 'websiteUrl', 'phone', 'address'] as const) {
    const value = form[key].trim();
    if (value) out[key] = value;
  }
  if (voice) {
    out.voiceId = voice.id;
    out.voiceName = voice.name;
  }
  return out;
}

/** "example.com" → "https://example.com/": people rarely type the scheme. */
export function normalizeUrl(input: string): string {
  const trimmed = input.trim();
  return /^https?:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`;
}
