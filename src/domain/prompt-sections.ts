import { describeHours, type BusinessHours } from './hours.js';
import type { PromptSection } from './prompt.js';

/** Everything the managed sections are written from. */
export interface PromptFacts {
  assistantName: string;
  businessName: string;
  businessType?: string | null;
  businessDescription?: string | null;
  websiteUrl?: string | null;
  businessHours?: BusinessHours | null;
  timezone: string;
  businessAddress?: string | null;
  transferNumber?: string | null;
  transferMode?: 'blind' | 'warm';
  calendarConnected: boolean;
  knowledgeLabels: string[];
  /** What to do outside business hours; unset: the hours section states the hours only. */
  afterHours?: AfterHours | null;
  /** ISO 639-1 codes the assistant speaks, the first the default; unset or just English: nothing said. */
  languages?: string[];
}

export type AfterHours = 'take-message' | 'transfer-anyway' | 'book-only';

const AFTER_HOURS_TEXT: Record<AfterHours, string> = {
  'take-message':
    "Outside these hours the business is closed: say so, and take a message (the caller's name, number and reason for calling) for a call back on the next business day; do not transfer the call.",
  'transfer-anyway': 'Outside these hours, help callers as usual and transfer those who ask for a person, just as during opening hours.',
  'book-only':
    'Outside these hours, do not transfer calls: offer to book an appointment, or take a message if the caller does not want one.',
};

/** "en" → "English"; ISO 639-1 codes only (the caller validated them). */
const languageName = (code: string) => new Intl.DisplayNames(['en'], { type: 'language' }).of(code) ?? code;

const listWords = (words: string[]) => (words.length < 2 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`);

function languageSentence(languages: string[] | undefined): string | undefined {
  if (!languages || languages.length === 0 || (languages.length === 1 && languages[0] === 'en')) return undefined;
  const names = languages.map(languageName);
  return names.length === 1
    ? `Always speak ${names[0]}.`
    : `You speak ${listWords(names)}: reply in the language the caller uses when it is one of these, otherwise in ${names[0]}.`;
}

/** The business's clock, filled in by VAPI at call time (LiquidJS date filter), and what to do when closed. */
const afterHoursSentence = (mode: AfterHours, timezone: string) =>
  `The current time at the business is {{"now" | date: "%A %I:%M %p", "${timezone}"}}. ${AFTER_HOURS_TEXT[mode]}`;

/** "dental_office" → "dental office". */
export const businessTypeWords = (type: string) => type.replace(/[_-]+/g, ' ').trim().toLowerCase();

const article = (word: string) => (/^[aeiou]/i.test(word) ? 'an' : 'a');

export function renderSection(key: PromptSection, f: PromptFacts): string {
  switch (key) {
    case 'persona':
      return [
        `You are ${f.assistantName}, the friendly AI receptionist for ${f.businessName}.`,
        'Answer warmly and briefly, one question at a time, in plain spoken language.',
        'Never invent facts, prices or availability you were not given; when unsure, offer to take a message.',
        languageSentence(f.languages),
      ]
        .filter(Boolean)
        .join(' ');
    case 'context': {
      const type = f.businessType ? businessTypeWords(f.businessType) : undefined;
      const lines = [type ? `${f.businessName} is ${article(type)} ${type}.` : `You answer the phone for ${f.businessName}.`];
      if (f.businessDescription) lines.push(f.businessDescription.trim());
      if (f.websiteUrl) lines.push(`Website: ${f.websiteUrl}`);
      return lines.join('\n');
    }
    case 'hours':
      return f.businessHours && Object.keys(f.businessHours).length > 0
        ? [`Business hours (${f.timezone} time): ${describeHours(f.businessHours)}.`, f.afterHours ? afterHoursSentence(f.afterHours, f.timezone) : undefined]
            .filter(Boolean)
            .join(' ')
        : 'The business hours have not been set. If asked, offer to take a message so someone can call back.';
    case 'address':
      return f.businessAddress
        ? `The business is located at ${f.businessAddress}.`
        : 'The address has not been set. If asked, offer to have someone call back with directions.';
    case 'transfer':
      if (!f.transferNumber) {
        return 'No one is available for live transfer. If the caller asks for a person, take their name, number and reason for calling.';
      }
      return f.transferMode === 'warm'
        ? `If the caller asks for a person or has an urgent matter, use the transferCall tool to reach ${f.transferNumber}; you will first give the staff member a short summary of the call.`
        : `If the caller asks for a person or has an urgent matter, use the transferCall tool to transfer them to ${f.transferNumber}.`;
    case 'calendar':
      return f.calendarConnected
        ? 'You can book appointments: use check_availability to find open times, offer two or three, confirm the caller\'s name and phone number, then use book_appointment.'
        : 'You cannot book appointments directly. Take the caller\'s name, phone number and preferred time, and say the team will confirm.';
    case 'knowledge':
      return f.knowledgeLabels.length > 0
        ? `Use the knowledge base to answer questions about: ${f.knowledgeLabels.join(', ')}.`
        : 'There is no knowledge base yet; answer only from the information above.';
  }
}

export const renderAllSections = (f: PromptFacts) =>
  Object.fromEntries(
    (['persona', 'context', 'hours', 'address', 'transfer', 'calendar', 'knowledge'] as const).map((k) => [k, renderSection(k, f)]),
  ) as Record<PromptSection, string>;

/** The default greeting for "assistant-speaks-first". */
export const defaultFirstMessage = (businessName: string) =>
  `Hi! Thanks for calling ${businessName}. How can I help you today?`;
