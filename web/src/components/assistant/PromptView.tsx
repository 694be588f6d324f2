import { parsePrompt, type PromptSection } from '../../../../src/domain/prompt';

/** What each managed section holds, and which setting writes it. */
export const SECTION_LABELS: Record<PromptSection, string> = {
  persona: 'Persona · name and voice',
  context: 'Business context · business info',
  hours: 'Hours · opening hours',
  address: 'Address',
  transfer: 'Call transfer',
  calendar: 'Calendar booking',
  knowledge: 'Knowledge base',
};

/**
 * The prompt as the server reads it (same parser): managed sections boxed and labelled,
 * the user's own text plain around them.
 */
export function PromptView({ prompt }: { prompt: string }) {
  return (
    // Focusable, so a keyboard can scroll a long prompt.
    <div className="prompt-view" tabIndex={0}>
      {parsePrompt(prompt).map((part, i) =>
        part.kind === 'section' ? (
          <section key={i} className="prompt-section" aria-label={`Managed section: ${SECTION_LABELS[part.key]}`}>
            <span className="section-tag">
              Managed · {SECTION_LABELS[part.key]}
            </span>
            <p className="prompt-text">{part.body || <em className="muted">(empty until this is set up)</em>}</p>
          </section>
        ) : (
          part.text.trim() && (
            <p key={i} className="prompt-text prompt-user">
              {part.text.trim()}
            </p>
          )
        ),
      )}
    </div>
  );
}
