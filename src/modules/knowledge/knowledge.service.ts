import { and, asc, eq, sql } from 'drizzle-orm';
import type { AppContext } from '../../context.js';
import { kbSections, type Assistant, type KbSection } from '../../db/schema/index.js';
import { kbFileName, kbLabel, kbMarkdown } from '../../domain/knowledge.js';
import { hasFeature } from '../../domain/plans.js';
import { notFound } from '../../errors.js';
import type { AuthContext } from '../auth/sessions.js';
import { applyAssistantChange, promptFacts, requireActiveAssistant, rewriteSections, vapiFailure } from '../assistants/assistant-sync.js';
import * as assistantsRepo from '../assistants/assistants.repo.js';

const listSections = (ctx: AppContext, assistantId: string) =>
  ctx.db.select().from(kbSections).where(eq(kbSections.assistantId, assistantId)).orderBy(asc(kbSections.key));

export async function getKnowledgeBase(ctx: AppContext, auth: AuthContext) {
  const assistant = await requireActiveAssistant(ctx, auth.organizationId);
  const sections = await listSections(ctx, assistant.id);
  return {
    assistantId: assistant.id,
    vapiAssistantId: assistant.vapiAssistantId,
    canEdit: hasFeature(auth.plan, 'knowledgeBase'),
    sections: sections.map((s) => ({
      key: s.key,
      label: kbLabel(s.key),
      text: s.text,
      vapiFileId: s.vapiFileId,
      fileName: s.fileName,
      updatedAt: s.updatedAt.toISOString(),
    })),
  };
}

/** Best effort: a file we no longer reference is only clutter on VAPI, never wrong data. */
async function deleteFileQuietly(ctx: AppContext, fileId: string | null | undefined) {
  if (!fileId) return;
  await ctx.providers.vapi.deleteFile(fileId).catch((err: unknown) => ctx.log.warn({ err, fileId }, 'could not delete VAPI file'));
}

/**
 * Points the assistant's query tool at exactly these files (creating or dropping the tool
 * as needed), rewrites the knowledge section, and records it all: VAPI first, then us.
 */
async function syncKnowledge(
  ctx: AppContext,
  auth: AuthContext,
  assistant: Assistant,
  sections: Array<Pick<KbSection, 'key' | 'vapiFileId'>>,
  alsoInTransaction: Parameters<typeof applyAssistantChange>[3]['alsoInTransaction'],
) {
  const fileIds = sections.flatMap((s) => (s.vapiFileId ? [s.vapiFileId] : []));
  const kb = { name: 'knowledge_base', description: `Facts about ${await assistantsRepo.findOrganizationName(ctx.db, auth.organizationId)}`, fileIds };
  let kbToolId = assistant.kbToolId;
  try {
    if (fileIds.length > 0 && kbToolId) await ctx.providers.vapi.updateKnowledgeBaseTool(kbToolId, kb);
    if (fileIds.length > 0 && !kbToolId) kbToolId = (await ctx.providers.vapi.createKnowledgeBaseTool(kb)).id;
  } catch (err) {
    throw vapiFailure(err);
  }
  const dropTool = fileIds.length === 0 && kbToolId;
  const toolIds = [...assistant.toolIds.filter((id) => id !== assistant.kbToolId), ...(dropTool || !kbToolId ? [] : [kbToolId])];
  const profile = await assistantsRepo.getProfile(ctx.db, auth.organizationId);
  const facts = await promptFacts(ctx, auth.organizationId, assistant, profile);
  const systemPrompt = rewriteSections(assistant.systemPrompt, { ...facts, knowledgeLabels: sections.map((s) => kbLabel(s.key)) }, ['knowledge']);
  await applyAssistantChange(ctx, auth.userId, assistant, {
    vapi: { toolIds, systemPrompt },
    row: { toolIds, systemPrompt, kbToolId: dropTool ? null : kbToolId },
    reason: 'knowledge',
    alsoInTransaction,
  });
  if (dropTool) await ctx.providers.vapi.deleteTool(dropTool).catch((err: unknown) => ctx.log.warn({ err }, 'could not delete KB tool'));
}

/** Creates or replaces a section: a new Markdown file on VAPI, the old one deleted after. */
export async function putSection(
  ctx: AppContext,
  auth: AuthContext,
  input: { key: string; text: string; source?: { fileName: string; fileSize: number } },
) {
  const assistant = await requireActiveAssistant(ctx, auth.organizationId);
  const fileName = kbFileName(input.key);
  let file;
  try {
    file = await ctx.providers.vapi.uploadFile({ name: fileName, content: kbMarkdown(input.key, input.text), contentType: 'text/markdown' });
  } catch (err) {
    throw vapiFailure(err);
  }
  const existing = await listSections(ctx, assistant.id);
  const previous = existing.find((s) => s.key === input.key);
  const next = [...existing.filter((s) => s.key !== input.key), { key: input.key, vapiFileId: file.id }].sort((a, b) => a.key.localeCompare(b.key));
  const values = {
    text: input.text,
    vapiFileId: file.id,
    fileName,
    sourceFileName: input.source?.fileName ?? null,
    sourceFileSize: input.source?.fileSize ?? null,
  };
  try {
    await syncKnowledge(ctx, auth, assistant, next, async (tx) => {
      await tx
        .insert(kbSections)
        .values({ organizationId: auth.organizationId, assistantId: assistant.id, key: input.key, ...values })
        .onConflictDoUpdate({ target: [kbSections.assistantId, kbSections.key], set: { ...values, updatedAt: sql`now()` } });
    });
  } catch (err) {
    await deleteFileQuietly(ctx, file.id);
    throw err;
  }
  await deleteFileQuietly(ctx, previous?.vapiFileId);
  return { key: input.key, vapiFileId: file.id, fileName };
}

export async function deleteSection(ctx: AppContext, auth: AuthContext, key: string) {
  const assistant = await requireActiveAssistant(ctx, auth.organizationId);
  const existing = await listSections(ctx, assistant.id);
  const section = existing.find((s) => s.key === key);
  if (!section) throw notFound('Knowledge base section');
  await syncKnowledge(
    ctx,
    auth,
    assistant,
    existing.filter((s) => s.key !== key),
    async (tx) => void (await tx.delete(kbSections).where(and(eq(kbSections.id, section.id), eq(kbSections.organizationId, auth.organizationId)))),
  );
  await deleteFileQuietly(ctx, section.vapiFileId);
}
