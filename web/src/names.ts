/** Honorifics a person may type before their name; a greeting skips them. */
const TITLES = new Set(['dr', 'doctor', 'mr', 'mrs', 'ms', 'miss', 'mx', 'prof', 'professor', 'sir', 'dame', 'rev', 'fr', 'hon', 'capt']);

const isTitle = (word: string) => TITLES.has(word.toLowerCase().replace(/\.$/, ''));

/**
 * The name to greet someone by: their first name ("Dr Sarah Chen" → "Sarah"); with a title and
 * only a surname, the full name ("Dr. Chen" → "Dr. Chen", never "Dr").
 */
export function greetingName(fullName: string): string {
  const words = fullName.trim().split(/\s+/).filter(Boolean);
  const at = words.findIndex((word) => !isTitle(word));
  if (at === -1) return words.join(' ');
  const rest = words.slice(at);
  return at > 0 && rest.length === 1 ? words.join(' ') : rest[0]!;
}
