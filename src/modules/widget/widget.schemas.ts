import { z } from 'zod';
import { LIMITS } from '../../domain/limits.js';
import { normalizeDomainEntry } from './domains.js';

export const MAX_ALLOWED_DOMAINS = 20;

/** 1–20 hosts (`mysite.com`, `*.example.com`, `localhost:5173`), lower-cased, punycoded, de-duplicated. */
export const AllowedDomains = z
  .array(z.string().max(300))
  .min(1, 'List at least one domain the widget may be used on, e.g. mysite.com')
  .max(MAX_ALLOWED_DOMAINS, `At most ${MAX_ALLOWED_DOMAINS} domains per token`)
  .transform((list, ctx) => {
    const out: string[] = [];
    list.forEach((raw, i) => {
      const result = normalizeDomainEntry(raw);
      if (!result.ok) ctx.addIssue({ code: 'custom', message: `"${raw.slice(0, 100)}" ${result.message}`, path: [i], input: raw });
      else if (!out.includes(result.value)) out.push(result.value);
    });
    return ctx.issues.length > 0 ? z.NEVER : out;
  })
  .meta({ description: 'Hosts allowed to use the token: exact `host[:port]` or `*.example.com` (subdomains only)', example: ['mysite.com', '*.mysite.com'] });

export const CreateEmbedTokenBody = z.object({
  /** Defaults to the first allowed domain. */
  label: z.string().trim().min(1).max(LIMITS.embedTokenLabel).optional(),
  allowedDomains: AllowedDomains,
});

export const EmbedTokenView = z.object({
  id: z.string(),
  label: z.string(),
  tokenPrefix: z.string(),
  allowedDomains: z.array(z.string()),
  lastUsedAt: z.string().nullable(),
  createdAt: z.string(),
});

export const CreatedEmbedToken = z.object({
  token: z.string().meta({ description: 'The full token (`ept_…`): shown only in this answer' }),
  prefix: z.string(),
  label: z.string(),
});

export const WidgetTokenBody = z.object({ embedToken: z.string().min(1).max(200) });

export const WidgetToken = z.object({
  token: z.string().meta({ description: 'Twilio Voice access token (JWT) for the Voice JS SDK' }),
  identity: z.string().meta({ example: 'org_…:widget_…' }),
  phoneNumber: z.string(),
  orgName: z.string(),
  expiresIn: z.number().int(),
});

/** Request headers the CORS routes read; every other header passes through untouched. */
export const CorsHeaders = z.looseObject({ origin: z.string().optional() });
