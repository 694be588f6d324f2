import { z } from 'zod';
import { A2P_STATUSES } from '../../db/schema/index.js';
import { BRAND_TYPES, requiresEin } from '../../domain/a2p.js';
import { E164 } from '../calls/calls.routes.js';

export const CampaignInfo = z.object({
  useCase: z.string().trim().min(2).max(60),
  description: z.string().trim().min(10).max(1024).optional(),
  messageFlow: z.string().trim().min(10).max(2048).optional(),
  sampleMessages: z.array(z.string().trim().min(10, 'Sample messages are at least 10 characters').max(1024)).min(1).max(5),
});

export const CheckoutBody = z.object({
  businessInfo: z
    .object({
      businessName: z.string().trim().min(2).max(200),
      businessType: z.enum(BRAND_TYPES),
      ein: z.string().trim().regex(/^\d{2}-\d{7}$/, 'EIN is 9 digits written NN-NNNNNNN').optional(),
    })
    .refine((b) => !requiresEin(b.businessType) || b.ein, { message: 'An EIN is required for this business type', path: ['ein'] }),
  representativeInfo: z.object({
    firstName: z.string().trim().min(1).max(80),
    lastName: z.string().trim().min(1).max(80),
    email: z.email(),
    phone: E164,
  }),
  campaignInfo: CampaignInfo,
});

export const StatusView = z.object({
  status: z.enum(A2P_STATUSES),
  paid: z.boolean(),
  brandType: z.string().nullable(),
  messagingServiceSid: z.string().nullable(),
  smsUsed: z.number(),
  hasSmsSubscription: z.boolean(),
  failureReason: z.string().nullable(),
  businessInfo: z.record(z.string(), z.unknown()).nullable(),
  representativeInfo: z.record(z.string(), z.unknown()).nullable(),
  campaignInfo: z.record(z.string(), z.unknown()).nullable(),
});
