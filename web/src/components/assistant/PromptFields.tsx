import { type PromptPart } from '../../../../src/domain/prompt';
import { TextAreaField } from '../Field';
import { SECTION_LABELS } from './PromptView';

/**
 * The prompt as parts (the server's own parser, src/domain/prompt.ts): the editor shows one
 * labelled field per managed section and per stretch of the user's own text, never the
 * markers. Whitespace between sections is kept as it is, and an empty "own instructions"
 * field at the end lets a user add some when the prompt has none yet.
 */
export function editableParts(parts: PromptPart[]): PromptPart[] {
  const last = parts.at(-1);
  return last?.kind === 'text' && last.text.trim() ? parts : [...parts, { kind: 'text', text: '' }];
}

/** What is saved: the trailing field left empty adds nothing. */
export const partsToSave = (parts: PromptPart[]) => parts.filter((p, i) => p.kind === 'section' || p.text.trim() || i < parts.length - 1);

/** Own text as lead whitespace, the words shown in the field, trail whitespace: only the words are edited. */
const splitSpace = (text: string) => /^(\s*)([\s\S]*?)(\s*)$/.exec(text)!.slice(1) as [string, string, string];

const sectionLabel = (part: Extract<PromptPart, { kind: 'section' }>) => SECTION_LABELS[part.key].split(' · ')[0]!;

/** "Your own instructions", told apart by where they stand when there are several. */
function ownTextLabel(parts: PromptPart[], i: number) {
  const own = parts.filter((p) => p.kind === 'text' && (p.text.trim() || p === parts.at(-1)));
  if (own.length < 2) return 'Your own instructions';
  const before = parts.slice(0, i).findLast((p) => p.kind === 'section');
  return before?.kind === 'section' ? `Your own instructions after ${sectionLabel(before)}` : 'Your own instructions at the start';
}

/** New words for a stretch of own text, its surrounding whitespace kept (a new stretch starts its own paragraph). */
function ownText(old: string, words: string, afterSomething: boolean) {
  const [lead, , trail] = splitSpace(old);
  return old.trim() ? `${lead}${words}${trail}` : `${afterSomething ? '\n\n' : ''}${words}`;
}

export function PromptFields({ parts, onChange }: { parts: PromptPart[]; onChange: (parts: PromptPart[]) => void }) {
  const set = (i: number, value: string) =>
    onChange(parts.map((p, j) => (j !== i ? p : p.kind === 'section' ? { ...p, body: value } : { ...p, text: ownText(p.text, value, i > 0) })));
  return (
    <div className="stack">
      {parts.map((part, i) => {
        if (part.kind === 'section') {
          return (
            <TextAreaField
              key={`section-${part.key}`}
              label={sectionLabel(part)}
              rows={Math.min(12, Math.max(3, part.body.split('\n').length + 1))}
              value={part.body}
              onChange={(e) => set(i, e.target.value)}
              hint={`Managed: saving your ${SECTION_LABELS[part.key].split(' · ')[1] ?? sectionLabel(part).toLowerCase()} settings rewrites this part.`}
            />
          );
        }
        // Blank space between sections is layout, not something to edit.
        if (!part.text.trim() && i !== parts.length - 1) return null;
        return (
          <TextAreaField
            key={`text-${i}`}
            label={ownTextLabel(parts, i)}
            rows={Math.min(16, Math.max(4, part.text.trim().split('\n').length + 1))}
            value={splitSpace(part.text)[1]}
            onChange={(e) => set(i, e.target.value)}
            hint="Yours: kept exactly as you write it when your settings change."
          />
        );
      })}
    </div>
  );
}
