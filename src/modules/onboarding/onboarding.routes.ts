import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { LIMITS } from '../../domain/limits.js';
import { authOf } from '../../plugins/auth.js';
import { ErrorResponses } from '../../plugins/openapi.js';
import { BusinessHoursSchema } from '../../domain/hours.js';
import { createVoiceCatalog } from '../assistants/voice.service.js';
import * as onboarding from './onboarding.service.js';

const tags = ['Onboarding'];
const security = [{ session: [] }];
const ProvisioningErrors = z.array(z.object({ step: z.string(), message: z.string() }));

/** The "Onboarding" group: the wizard's answers, website analysis and provisioning. */
const onboardingRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;
  const catalog = createVoiceCatalog(ctx);
  app.addHook('preValidation', app.requireSession);

  app.get('/api/onboarding', {
    schema: {
      tags,
      security,
      summary: 'Onboarding status and saved answers',
      response: {
        200: z.object({
          completed: z.boolean(),
          completedAt: z.string().nullable(),
          data: z.record(z.string(), z.unknown()),
          phoneNumber: z.string().nullable(),
          organizationName: z.string(),
          sampleWebsiteUrl: z.string().nullable().describe("Sandbox mode: our sample practice's website, readable by POST /api/onboarding/analyze offline; null otherwise"),
          provisioning: z
            .object({
              stepsDone: z.array(z.string()).describe('Steps recorded as finished (unordered); phone steps are dropped once the number is stored'),
              lastError: z.object({ step: z.string(), message: z.string(), at: z.string() }).nullable(),
            })
            .describe('Provisioning progress, readable while POST complete=true runs'),
        }),
        ...ErrorResponses,
      },
    },
    handler: (request) => onboarding.getOnboarding(ctx, authOf(request)),
  });

  app.post('/api/onboarding', {
    preValidation: app.requireManager,
    schema: {
      tags,
      security,
      summary: 'Save answers; complete=true provisions assistant, knowledge and number (resumable; 400 once completed)',
      body: z.object({ onboardingData: onboarding.OnboardingData.default({}), complete: z.boolean().default(false) }),
      response: {
        200: z.object({ success: z.literal(true), completed: z.boolean(), phoneNumber: z.string().nullable(), provisioningErrors: ProvisioningErrors }),
        ...ErrorResponses,
      },
    },
    handler: (request) => onboarding.saveOnboarding(ctx, authOf(request), request.body, catalog),
  });

  app.post('/api/onboarding/analyze', {
    preValidation: app.requireManager,
    schema: {
      tags,
      security,
      summary: 'Read the business website (up to 5 pages) and extract its data (before completion only)',
      description:
        "A site that cannot be read answers 400 with a sentence for the owner (what went wrong, what to try) as `error` and as `details[0].message` for `body.url`; `details[0].reason` is the reader's code: invalid-url, dns-failed, blocked-address, timeout, too-large, not-html, too-many-redirects or http-error.",
      body: z.object({ url: z.url({ protocol: /^https?$/, message: 'Enter the website as a full web address, e.g. https://example.com' }).max(LIMITS.websiteUrl) }),
      response: {
        200: z.object({
          extractedData: z.object({
            businessName: z.string().nullable(),
            businessType: z.string().nullable(),
            description: z.string().nullable(),
            phone: z.string().nullable(),
            address: z.string().nullable(),
            hours: BusinessHoursSchema.nullable(),
            email: z.string().nullable(),
          }),
          businessName: z.string().nullable(),
          pagesScraped: z.number(),
          scrapeWarnings: z.array(z.string()),
        }),
        ...ErrorResponses,
      },
    },
    handler: (request) => onboarding.analyze(ctx, authOf(request), request.body.url),
  });
};

export default onboardingRoutes;
