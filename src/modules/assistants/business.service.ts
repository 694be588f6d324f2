import type { AppContext } from '../../context.js';
import type { BusinessHours } from '../../domain/hours.js';
import type { AuthContext } from '../auth/sessions.js';
import { applyProfileChange } from './assistant-sync.js';
import * as repo from './assistants.repo.js';

export async function getBusinessInfo(ctx: AppContext, auth: AuthContext) {
  const p = await repo.getProfile(ctx.db, auth.organizationId);
  return { businessType: p.businessType, businessDescription: p.businessDescription, websiteUrl: p.websiteUrl };
}

export async function setBusinessInfo(
  ctx: AppContext,
  auth: AuthContext,
  input: { businessType?: string | null; businessDescription?: string | null; websiteUrl?: string | null },
) {
  await applyProfileChange(ctx, auth.organizationId, auth.userId, input, ['context']);
  return getBusinessInfo(ctx, auth);
}

export async function getBusinessHours(ctx: AppContext, auth: AuthContext) {
  const p = await repo.getProfile(ctx.db, auth.organizationId);
  return { businessHours: p.businessHours, timezone: p.timezone };
}

export async function setBusinessHours(ctx: AppContext, auth: AuthContext, input: { businessHours: BusinessHours; timezone?: string }) {
  await applyProfileChange(ctx, auth.organizationId, auth.userId, input, ['hours']);
  return getBusinessHours(ctx, auth);
}

export async function getBusinessAddress(ctx: AppContext, auth: AuthContext) {
  const p = await repo.getProfile(ctx.db, auth.organizationId);
  return { businessAddress: p.businessAddress };
}

export async function setBusinessAddress(ctx: AppContext, auth: AuthContext, businessAddress: string | null) {
  await applyProfileChange(ctx, auth.organizationId, auth.userId, { businessAddress }, ['address']);
  return getBusinessAddress(ctx, auth);
}
