import { and, asc, eq, sql } from 'drizzle-orm';
import type { AppContext } from '../../context.js';
import { kbSections, onboardingStates, organizations, users, type WebsitePage } from '../../db/schema/index.js';
import { websiteKnowledgeText } from '../../domain/knowledge.js';
import type { AuthContext } from '../auth/sessions.js';
import { findActiveAssistant } from '../assistants/assistants.repo.js';
import { putSection } from './knowledge.service.js';

/** Acts for the organization as its first owner (prompt versions need someone to name). */
async function ownerContext(ctx: AppContext, organizationId: string): Promise<AuthContext | undefined> {
  const [row] = await ctx.db
    .select({ user: users, plan: organizations.plan })
    .from(users)
    .innerJoin(organizations, eq(organizations.id, users.organizationId))
    .where(and(eq(users.organizationId, organizationId), eq(users.role, 'owner')))
    .orderBy(asc(users.createdAt))
    .limit(1);
  if (!row) return undefined;
  const u = row.user;
  const assistant = await findActiveAssistant(ctx.db, organizationId);
  const activeAssistant = assistant ? { id: assistant.id, name: assistant.name, voiceName: assistant.voiceName } : null;
  return { via: 'session', sessionId: null, userId: u.id, organizationId, role: 'owner', email: u.email, name: u.name, plan: row.plan, mustChangePassword: false, expiresAt: ctx.now(), activeAssistant };
}

/**
 * Re-reads the pages read at onboarding with conditional GETs (ETag / Last-Modified), and
 * re-uploads the `website` section to VAPI only when its text changed. Under the organization's
 * kb-refresh lock (the route and the daily job): a refresh that waited finds the section the
 * one before it uploaded, and uploads nothing.
 */
export function refreshWebsiteKnowledge(ctx: AppContext, organizationId: string) {
  return ctx.withOrgLock(organizationId, 'kb-refresh', () => refreshUnderLock(ctx, organizationId));
}

async function refreshUnderLock(ctx: AppContext, organizationId: string) {
  const [state] = await ctx.db.select().from(onboardingStates).where(eq(onboardingStates.organizationId, organizationId));
  const result = { pagesChecked: 0, pagesChanged: 0, uploaded: false, errors: 0 };
  if (!state || state.websitePages.length === 0) return result;
  // Loaded on first use: the HTML parser is heavy and only this job needs it.
  const [cheerio, { visibleText }] = await Promise.all([import('cheerio'), import('../../domain/website-text.js')]);
  const pages: WebsitePage[] = [];
  for (const page of state.websitePages) {
    result.pagesChecked++;
    try {
      const res = await ctx.fetchHtml(page.url, { ifNoneMatch: page.etag, ifModifiedSince: page.lastModified });
      if (res.notModified) {
        pages.push(page);
        continue;
      }
      const text = visibleText(cheerio.load(res.html));
      if (text !== page.text) result.pagesChanged++;
      pages.push({ url: page.url, text, etag: res.etag, lastModified: res.lastModified });
    } catch (err) {
      result.errors++;
      ctx.log.warn({ err, url: page.url, organizationId }, 'website refresh: page not read, keeping the last copy');
      pages.push(page);
    }
  }
  const assistant = await findActiveAssistant(ctx.db, organizationId);
  const text = websiteKnowledgeText(pages);
  const [current] = assistant
    ? await ctx.db.select({ text: kbSections.text }).from(kbSections).where(and(eq(kbSections.assistantId, assistant.id), eq(kbSections.key, 'website')))
    : [];
  const auth = await ownerContext(ctx, organizationId);
  if (assistant && auth && current?.text !== text) {
    await putSection(ctx, auth, { key: 'website', text });
    result.uploaded = true;
  }
  await ctx.db.update(onboardingStates).set({ websitePages: pages, updatedAt: sql`now()` }).where(eq(onboardingStates.organizationId, organizationId));
  return result;
}

/** The website-refresh job: every organization that has website pages, one after another. */
export async function refreshAllWebsites(ctx: AppContext) {
  const due = await ctx.db
    .select({ organizationId: onboardingStates.organizationId })
    .from(onboardingStates)
    .where(sql`jsonb_array_length(${onboardingStates.websitePages}) > 0`);
  let uploaded = 0;
  let errors = 0;
  for (const { organizationId } of due) {
    try {
      if ((await refreshWebsiteKnowledge(ctx, organizationId)).uploaded) uploaded++;
    } catch (err) {
      errors++;
      ctx.log.error({ err, organizationId }, 'website refresh failed');
    }
  }
  return { checked: due.length, uploaded, errors };
}
