import { z } from 'zod';
import { LIMITS } from '../../domain/limits.js';
import { ASSISTANT_STATUSES, FIRST_MESSAGE_MODES } from '../../db/schema/index.js';
import { BusinessHoursSchema, TimeZoneSchema } from '../../domain/hours.js';
import { PROMPT_SECTIONS } from '../../domain/prompt.js';

export const IdParams = z.object({ id: z.uuid('Not a valid id') });
export const Success = z.object({ success: z.literal(true) });

export const AssistantView = z.object({
  id: z.string(),
  vapiAssistantId: z.string(),
  name: z.string(),
  status: z.enum(ASSISTANT_STATUSES),
  callCount: z.number(),
  firstMessageMode: z.enum(FIRST_MESSAGE_MODES),
  voiceId: z.string().nullable(),
  voiceName: z.string().nullable(),
  createdAt: z.string(),
});

const nameLength = `Name must be ${LIMITS.assistantNameMin}-${LIMITS.assistantNameMax} characters`;
export const AssistantName = z.string().trim().min(LIMITS.assistantNameMin, nameLength).max(LIMITS.assistantNameMax, nameLength);

export const RegisterAssistantBody = z.object({
  vapiAssistantId: z.string().trim().min(1).max(100),
  name: z.string().trim().min(1).max(100),
});

export const FirstMessageModeBody = z
  .object({ mode: z.enum(FIRST_MESSAGE_MODES), firstMessage: z.string().trim().min(1).max(LIMITS.firstMessage).optional() })
  .refine((b) => b.mode !== 'assistant-speaks-first' || b.firstMessage, {
    message: 'Is required when the assistant speaks first',
    path: ['firstMessage'],
  });

export const VoiceBody = z.object({
  voiceId: z.string().trim().min(1).max(64),
  voiceName: z.string().trim().min(1).max(60).optional(),
});

export const CatalogVoice = z.object({ id: z.string(), name: z.string(), gender: z.string(), desc: z.string(), previewUrl: z.string() });

export const PromptBody = z.object({ systemPrompt: z.string().trim().min(1).max(LIMITS.systemPrompt) });

export const RegenerateBody = z.object({
  sections: z.array(z.enum(PROMPT_SECTIONS)).min(1).max(PROMPT_SECTIONS.length).default(['persona', 'context']),
});

const optionalText = (max: number) => z.string().trim().max(max).nullable().optional();

export const BusinessInfoBody = z
  .object({
    businessType: optionalText(LIMITS.businessType),
    businessDescription: optionalText(LIMITS.businessDescription),
    websiteUrl: z
      .url({ protocol: /^https?$/, message: 'Enter the website as a full web address, e.g. https://example.com' })
      .max(LIMITS.websiteUrl)
      .nullable()
      .optional(),
  })
  .refine((b) => Object.keys(b).length > 0, 'Give at least one of business type, description or website');

export const BusinessInfo = z.object({
  businessType: z.string().nullable(),
  businessDescription: z.string().nullable(),
  websiteUrl: z.string().nullable(),
});

export const BusinessHoursBody = z.object({ businessHours: BusinessHoursSchema, timezone: TimeZoneSchema.optional() });
export const BusinessHoursView = z.object({ businessHours: BusinessHoursSchema, timezone: z.string() });

export const BusinessAddressBody = z.object({ businessAddress: z.string().trim().max(LIMITS.businessAddress).nullable() });
