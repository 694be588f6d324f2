import { useState, type FormEvent } from 'react';
import { fieldErrorsOf } from '../../api';
import { PROMPT_PATHS, useApi, useSave } from '../../hooks';
import { Card } from '../Card';
import { ErrorNote } from '../ErrorNote';
import { Loading } from '../Loading';
import { SaveBar } from '../SaveBar';
import { SelectField } from '../SelectField';

const PATH = '/api/languages';
/** The API's limit. */
const MAX_LANGUAGES = 5;

/**
 * The ISO 639-1 codes of the languages ElevenLabs' multilingual voice model speaks: the model
 * the assistant switches to for any language besides English. The API takes any code; these are the ones worth offering.
 */
const OFFERED = ['ar', 'bg', 'cs', 'da', 'de', 'el', 'en', 'es', 'fi', 'fr', 'hi', 'hr', 'id', 'it', 'ja', 'ko', 'ms', 'nl', 'pl', 'pt', 'ro', 'ru', 'sk', 'sv', 'ta', 'tr', 'uk', 'zh'];

const names = new Intl.DisplayNames(['en'], { type: 'language' });
const nameOf = (code: string) => names.of(code) ?? code;

function LanguagesForm({ saved }: { saved: string[] }) {
  // The first is the default, as in the API.
  const [chosen, setChosen] = useState(saved);
  const save = useSave<{ languages: string[] }>(PATH, 'PUT', PROMPT_PATHS);
  // A code saved through the API but not offered here still shows, ticked.
  const options = [...new Set([...OFFERED, ...saved])].sort((a, b) => nameOf(a).localeCompare(nameOf(b)));
  const full = chosen.length >= MAX_LANGUAGES;

  const toggle = (code: string, on: boolean) => setChosen((list) => (on ? [...list, code] : list.filter((c) => c !== code)));
  const makeDefault = (code: string) => setChosen((list) => [code, ...list.filter((c) => c !== code)]);
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate({ languages: chosen });
  };

  return (
    <form onSubmit={onSubmit} className="stack">
      <SelectField
        label="Default language"
        value={chosen[0] ?? ''}
        onChange={(e) => makeDefault(e.target.value)}
        hint="Used when the caller’s language is not one of those chosen."
        error={fieldErrorsOf(save.error).languages}
      >
        {chosen.map((code) => (
          <option key={code} value={code}>
            {nameOf(code)}
          </option>
        ))}
      </SelectField>
      <fieldset className="choices choices-compact">
        <legend className="field-label">
          Languages ({chosen.length} of at most {MAX_LANGUAGES})
        </legend>
        {options.map((code) => {
          const on = chosen.includes(code);
          return (
            <label key={code} className={`choice${on ? ' choice-on' : ''}`}>
              {/* At least one stays: the last one cannot be unticked. */}
              <input type="checkbox" checked={on} disabled={on ? chosen.length === 1 : full} onChange={(e) => toggle(code, e.target.checked)} />
              <span>{nameOf(code)}</span>
            </label>
          );
        })}
      </fieldset>
      <SaveBar mutation={save} disabled={chosen.join() === saved.join()} />
    </form>
  );
}

/** The languages the assistant speaks: it answers in the caller's when it is one of them. */
export function LanguagesCard() {
  const current = useApi<{ languages: string[] }>(PATH);
  return (
    <Card id="languages" title="Languages" description={`The assistant replies in the caller’s language when it is one of these (up to ${MAX_LANGUAGES}).`}>
      {current.isPending && <Loading />}
      <ErrorNote error={current.error} />
      {current.data && <LanguagesForm saved={current.data.languages} />}
    </Card>
  );
}
