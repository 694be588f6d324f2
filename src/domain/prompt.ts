/**
 * The system prompt as a document of named, marked sections plus the user's own text.
 * A settings change replaces one section's body; everything outside the managed
 * sections is the user's and is kept byte for byte.
 */
export const PROMPT_SECTIONS = ['persona', 'context', 'hours', 'address', 'transfer', 'calendar', 'knowledge'] as const;
export type PromptSection = (typeof PROMPT_SECTIONS)[number];

export const isPromptSection = (s: string): s is PromptSection => (PROMPT_SECTIONS as readonly string[]).includes(s);

const openMarker = (key: PromptSection) => `<!-- section:${key} -->`;
const closeMarker = (key: PromptSection) => `<!-- /section:${key} -->`;
const MARKER = /<!-- (\/?)section:([a-z]+) -->/g;

export type PromptPart = { kind: 'section'; key: PromptSection; body: string } | { kind: 'text'; text: string };

/** Strips anything that looks like a marker, so generated bodies cannot forge sections. */
export const sanitizeBody = (body: string) => body.replace(/<!--\s*\/?\s*section:[^>]*-->/g, '').trim();

/**
 * Reads a prompt back into parts. A known open marker with its close marker later on
 * makes a section; a second copy of a section is dropped; anything else is user text.
 */
export function parsePrompt(prompt: string): PromptPart[] {
  const parts: PromptPart[] = [];
  const seen = new Set<PromptSection>();
  let text = '';
  let cursor = 0;
  MARKER.lastIndex = 0;
  for (let m = MARKER.exec(prompt); m; m = MARKER.exec(prompt)) {
    const [marker, slash, key] = m;
    if (slash || !isPromptSection(key!)) continue;
    const closeAt = prompt.indexOf(closeMarker(key), m.index + marker.length);
    if (closeAt < 0) continue;
    text += prompt.slice(cursor, m.index);
    if (!seen.has(key)) {
      if (text) parts.push({ kind: 'text', text });
      text = '';
      parts.push({ kind: 'section', key, body: prompt.slice(m.index + marker.length, closeAt).trim() });
      seen.add(key);
    }
    cursor = closeAt + closeMarker(key).length;
    MARKER.lastIndex = cursor;
  }
  text += prompt.slice(cursor);
  if (text) parts.push({ kind: 'text', text });
  return parts;
}

export function renderPrompt(parts: PromptPart[]): string {
  return parts
    .map((p) => (p.kind === 'text' ? p.text : `${openMarker(p.key)}\n${p.body}\n${closeMarker(p.key)}`))
    .join('');
}

export const sectionBody = (prompt: string, key: PromptSection) =>
  parsePrompt(prompt).find((p): p is Extract<PromptPart, { kind: 'section' }> => p.kind === 'section' && p.key === key)?.body;

/** The user's own text: everything outside the managed sections. */
export const userText = (prompt: string) =>
  parsePrompt(prompt)
    .filter((p): p is Extract<PromptPart, { kind: 'text' }> => p.kind === 'text')
    .map((p) => p.text)
    .join('');

/** Inserts a section where the canonical order puts it among the sections present. */
function insertSection(parts: PromptPart[], key: PromptSection, body: string): PromptPart[] {
  const rank = PROMPT_SECTIONS.indexOf(key);
  const section: PromptPart = { kind: 'section', key, body };
  const nextIndex = parts.findIndex((p) => p.kind === 'section' && PROMPT_SECTIONS.indexOf(p.key) > rank);
  if (nextIndex >= 0) return [...parts.slice(0, nextIndex), section, { kind: 'text', text: '\n\n' }, ...parts.slice(nextIndex)];
  const hasSections = parts.some((p) => p.kind === 'section');
  const lastSection = parts.findLastIndex((p) => p.kind === 'section');
  if (!hasSections) {
    return parts.length ? [...parts, { kind: 'text', text: '\n\n' }, section] : [section];
  }
  return [...parts.slice(0, lastSection + 1), { kind: 'text', text: '\n\n' }, section, ...parts.slice(lastSection + 1)];
}

/** Replaces one section's body (or inserts it), leaving every other byte as it was. */
export function replaceSection(prompt: string, key: PromptSection, body: string): string {
  const parts = parsePrompt(prompt);
  const clean = sanitizeBody(body);
  const index = parts.findIndex((p) => p.kind === 'section' && p.key === key);
  if (index < 0) return renderPrompt(insertSection(parts, key, clean));
  parts[index] = { kind: 'section', key, body: clean };
  return renderPrompt(parts);
}

/**
 * Makes a prompt a user submitted whole well-formed again: every managed section present
 * once (missing ones come back with their current bodies), the user's text untouched.
 */
export function normalizePrompt(prompt: string, currentBodies: Record<PromptSection, string>): string {
  let parts = parsePrompt(prompt);
  for (const key of PROMPT_SECTIONS) {
    if (!parts.some((p) => p.kind === 'section' && p.key === key)) {
      parts = insertSection(parts, key, sanitizeBody(currentBodies[key]));
    }
  }
  return renderPrompt(parts);
}

/** A new prompt from section bodies, in canonical order. */
export const composePrompt = (bodies: Record<PromptSection, string>) =>
  renderPrompt(
    PROMPT_SECTIONS.flatMap((key, i) => [
      ...(i > 0 ? [{ kind: 'text' as const, text: '\n\n' }] : []),
      { kind: 'section' as const, key, body: sanitizeBody(bodies[key]) },
    ]),
  );
