/** Labels of the knowledge-base sections businesses use most; other keys get a title-cased label. */
export const KNOWN_KB_SECTIONS: Record<string, string> = {
  faqs: 'FAQs',
  services: 'Services',
  pricing: 'Pricing',
  policies: 'Policies',
  insurance: 'Insurance',
  team: 'Team',
  'company-info': 'Company info',
  website: 'Website',
};

export const KB_KEY_PATTERN = /^[a-z0-9][a-z0-9_-]{0,39}$/;

/**
 * The key of a section an owner names in words: "Price list" → "price-list", "Café hours" →
 * "cafe-hours". A key that is already a key (parking_info) stays as it is. Empty when the
 * name has no letter or digit; never shortened (the caller refuses a long name).
 */
export const kbSlug = (name: string) =>
  name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[-_]+|[-_]+$/g, '');

export const kbLabel = (key: string) =>
  KNOWN_KB_SECTIONS[key] ?? key.replace(/[-_]+/g, ' ').replace(/^./, (c) => c.toUpperCase());

/** The Markdown file VAPI indexes for a section: a heading, then the business's text. */
export const kbMarkdown = (key: string, text: string) => `# ${kbLabel(key)}\n\n${text.trim()}\n`;

export const kbFileName = (key: string) => `${key}.md`;

/** The `website` section's text: each page read from the business's site, under its URL. */
export const websiteKnowledgeText = (pages: Array<{ url: string; text: string }>) =>
  pages
    .map((p) => `## ${p.url}\n\n${p.text}`)
    .join('\n\n')
    .slice(0, 100_000);
