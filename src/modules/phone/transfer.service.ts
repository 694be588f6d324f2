import type { AppContext } from '../../context.js';
import { hasFeature } from '../../domain/plans.js';
import { toE164 } from '../../domain/phone.js';
import { fieldError } from '../../errors.js';
import type { AssistantTool } from '../../providers/vapi/port.js';
import type { AuthContext } from '../auth/sessions.js';
import { applyAssistantChange, promptFacts, rewriteSections } from '../assistants/assistant-sync.js';
import * as repo from '../assistants/assistants.repo.js';

export type TransferMode = 'blind' | 'warm';

export async function getTransferNumber(ctx: AppContext, auth: AuthContext) {
  const profile = await repo.getProfile(ctx.db, auth.organizationId);
  return { transferNumber: profile.transferNumber, transferMode: profile.transferMode, canEdit: hasFeature(auth.plan, 'transferNumber') };
}

/** The assistant's tools with the transferCall tool replaced (or removed when there is no number). */
export function withTransferTool(tools: AssistantTool[], number: string | null, mode: TransferMode): AssistantTool[] {
  const others = tools.filter((t) => t.type !== 'transferCall');
  if (!number) return others;
  return [
    ...others,
    {
      type: 'transferCall',
      destinations: [
        {
          number,
          mode: mode === 'warm' ? 'warm-transfer-say-summary' : 'blind-transfer',
          message: 'Please hold while I transfer you.',
          description: 'A person at the business',
        },
      ],
    },
  ];
}

/**
 * Sets or clears the transfer number (E.164), rewriting the transfer section and the
 * transferCall tool together; before any assistant exists, only the profile changes.
 */
export async function setTransferNumber(ctx: AppContext, auth: AuthContext, input: { transferNumber?: string | null; transferMode?: TransferMode }) {
  const raw = input.transferNumber?.trim();
  const transferNumber = raw ? (toE164(raw) ?? null) : null;
  if (raw && !transferNumber)
    throw fieldError('body.transferNumber', 'Enter the transfer number as a full phone number, e.g. +1 415 555 0100');
  const profile = await repo.getProfile(ctx.db, auth.organizationId);
  const transferMode = input.transferMode ?? profile.transferMode;
  const patch = { transferNumber, transferMode };
  const assistant = await repo.findActiveAssistant(ctx.db, auth.organizationId);
  if (!assistant) {
    await repo.updateProfile(ctx.db, auth.organizationId, patch);
  } else {
    const facts = await promptFacts(ctx, auth.organizationId, assistant, { ...profile, ...patch });
    const systemPrompt = rewriteSections(assistant.systemPrompt, facts, ['transfer']);
    const tools = withTransferTool(assistant.tools, transferNumber, transferMode);
    await applyAssistantChange(ctx, auth.userId, assistant, { vapi: { systemPrompt, tools }, row: { systemPrompt, tools }, profile: patch, reason: 'transfer' });
  }
  return { success: true as const, transferNumber, transferMode };
}
