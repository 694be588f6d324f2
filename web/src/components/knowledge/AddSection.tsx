import { useState, type FormEvent } from 'react';
import { LIMITS } from '../../../../src/domain/limits';
import { fieldErrorsOf } from '../../api';
import { kbSlug, KNOWN_KB_SECTIONS } from '../../../../src/domain/knowledge';
import { PROMPT_PATHS, useSave } from '../../hooks';
import { TextAreaField, TextField } from '../Field';
import { SaveBar } from '../SaveBar';
import { SelectField } from '../SelectField';
import { KB_PATH } from './SectionCard';

const OTHER = '__other';

/** The known sections the assistant has not got yet, plus one named in the owner's words (the server makes its key). */
export function AddSection({ existing, onDone }: { existing: string[]; onDone: () => void }) {
  const free = Object.entries(KNOWN_KB_SECTIONS).filter(([key]) => key !== 'website' && !existing.includes(key));
  const [choice, setChoice] = useState(free[0]?.[0] ?? OTHER);
  const [customKey, setCustomKey] = useState('');
  const [text, setText] = useState('');
  const save = useSave<{ sectionKey: string; text: string }>(KB_PATH, 'PUT', PROMPT_PATHS);
  const name = choice === OTHER ? customKey.trim() : choice;
  const keyProblem = existing.includes(kbSlug(name)) ? 'There is a section with this name already: edit it instead.' : undefined;
  const errors = fieldErrorsOf(save.error);

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (!keyProblem) save.mutate({ sectionKey: name, text }, { onSuccess: onDone });
  };

  return (
    <form onSubmit={onSubmit} className="stack add-section">
      <div className="row">
        <SelectField label="Section" value={choice} onChange={(e) => setChoice(e.target.value)}>
          {free.map(([k, label]) => (
            <option key={k} value={k}>
              {label}
            </option>
          ))}
          <option value={OTHER}>Other…</option>
        </SelectField>
        {choice === OTHER && (
          <TextField
            label="Section name"
            required
            maxLength={LIMITS.kbSectionName}
            placeholder="Price list"
            hint="In your own words, e.g. Price list or Parking."
            value={customKey}
            onChange={(e) => setCustomKey(e.target.value)}
            error={keyProblem ?? errors.sectionKey}
          />
        )}
      </div>
      {choice !== OTHER && keyProblem && <span className="field-error">{keyProblem}</span>}
      <TextAreaField
        label="Text"
        rows={8}
        required
        maxLength={LIMITS.kbSectionText}
        placeholder="Write it the way you would tell a new receptionist: prices, rules, answers to common questions…"
        value={text}
        onChange={(e) => setText(e.target.value)}
        error={errors.text}
      />
      <div className="save-row">
        <SaveBar mutation={save} disabled={!text.trim() || !name || !!keyProblem} label="Add section" />
        <button type="button" className="button button-quiet" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}
