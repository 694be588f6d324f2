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
}

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
      ].join(' ');
    case 'context': {
      const type = f.businessType ? businessTypeWords(f.businessType) : undefined;
      const lines = [type ? `${f.businessName} is ${article(type)} ${type}.` : `You answer the phone for ${f.businessName}.`];
      if (f.businessDescription) lines.push(f.businessDescription.trim());
      if (f.websiteUrl) lines.push(`Website: ${f.websiteUrl}`);
      return lines.join('\n');
    }
    case 'hours':
      return f.businessHours && Object.keys(f.businessHours).length > 0
        ? `Business hours (${f.timezone} time): ${describeHours(f.businessHours)}.`
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
