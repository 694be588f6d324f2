/** One option of a RadioChoices group: its name and a line on what it does. */
export interface Choice {
  label: string;
  hint: string;
}

/** Radio buttons as labelled tiles, one per option (the record's keys are the values). */
export function RadioChoices<T extends string>({
  legend,
  name,
  options,
  value,
  onChange,
  disabled,
}: {
  legend: string;
  name: string;
  options: Record<T, Choice>;
  value: T;
  onChange: (value: T) => void;
  disabled?: boolean;
}) {
  return (
    <fieldset className="choices" disabled={disabled}>
      <legend className="visually-hidden">{legend}</legend>
      {(Object.keys(options) as T[]).map((option) => (
        <label key={option} className={`choice${value === option ? ' choice-on' : ''}`}>
          <input type="radio" name={name} value={option} checked={value === option} onChange={() => onChange(option)} />
          <span>
            <strong>{options[option].label}</strong>
            <span className="muted small">{options[option].hint}</span>
          </span>
        </label>
      ))}
    </fieldset>
  );
}
