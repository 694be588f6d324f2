import * as cheerio from 'cheerio';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import type { WebsitePage } from '../../db/schema/index.js';
import { BusinessHoursSchema } from '../../domain/hours.js';
import { extractFromHtml, mergeExtractions, type ExtractedBusiness, type PageExtraction } from '../../domain/website-extract.js';
import { visibleText } from '../../domain/website-text.js';
import { SafeFetchError } from '../../lib/safe-fetch.js';

export const MAX_PAGES = 5;
const AI_TEXT_BUDGET = 12_000;

/** What the AI may fill in: only the fields the pages did not give. */
const AiFill = z.object({
  businessName: z.string().max(200).nullable().optional(),
  businessType: z.string().max(60).nullable().optional(),
  description: z.string().max(1000).nullable().optional(),
  address: z.string().max(300).nullable().optional(),
  phone: z.string().max(40).nullable().optional(),
  hours: BusinessHoursSchema.nullable().optional(),
});

export interface Analysis {
  extractedData: ExtractedBusiness;
  pages: WebsitePage[];
  warnings: string[];
}

const describeFailure = (url: string, err: unknown) =>
  err instanceof SafeFetchError ? `${url}: ${err.reason}${err.message ? ` (${err.message})` : ''}` : `${url}: ${(err as Error).message}`;

/**
 * Reads the site and up to four same-site pages (contact, about, hours, services), takes
 * structured data first, then page text, then asks the model for what is still missing.
 * The first page must load (its failure is the caller's 400); later failures are warnings.
 */
export async function analyzeWebsite(ctx: AppContext, url: string): Promise<Analysis> {
  const warnings: string[] = [];
  const first = await ctx.fetchHtml(url);
  const extractions: PageExtraction[] = [extractFromHtml(first.html, first.finalUrl)];
  const pages: WebsitePage[] = [{ url: first.finalUrl, text: visibleText(cheerio.load(first.html)), etag: first.etag, lastModified: first.lastModified }];
  const seen = new Set([first.finalUrl]);

  for (const link of extractions[0]!.links) {
    if (pages.length >= MAX_PAGES) break;
    if (seen.has(link.url)) continue;
    seen.add(link.url);
    try {
      const page = await ctx.fetchHtml(link.url);
      extractions.push(extractFromHtml(page.html, page.finalUrl));
      pages.push({ url: page.finalUrl, text: visibleText(cheerio.load(page.html)), etag: page.etag, lastModified: page.lastModified });
    } catch (err) {
      warnings.push(describeFailure(link.url, err));
    }
  }

  const merged = mergeExtractions(extractions);
  const data = { ...merged.data };
  const missing = merged.missing.filter((f) => f !== 'email');
  if (missing.length > 0) {
    try {
      const filled = await ctx.providers.ai.extractJson({
        system: 'You read small-business websites and answer only with facts stated on the pages. Use null when a fact is not stated.',
        prompt: `From these pages, give ${missing.join(', ')} as JSON (hours as {"monday":{"open":"09:00","close":"17:00","closed":false},…}).\n\n${pages
          .map((p) => `URL: ${p.url}\n${p.text}`)
          .join('\n\n')
          .slice(0, AI_TEXT_BUDGET)}`,
        schema: AiFill,
        maxTokens: 800,
      });
      for (const field of missing) {
        const value = filled[field as keyof typeof filled];
        if (value !== undefined && value !== null && data[field] === null) (data as Record<string, unknown>)[field] = value;
      }
    } catch (err) {
      warnings.push(`AI gap filling failed: ${(err as Error).message}`);
    }
  }
  return { extractedData: data, pages, warnings };
}
