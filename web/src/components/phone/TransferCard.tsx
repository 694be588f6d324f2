import { useState, type FormEvent } from 'react';
import { LIMITS } from '../../../../src/domain/limits';
import { fieldErrorsOf } from '../../api';
import { PROMPT_PATHS, useSave } from '../../hooks';
import type { TransferMode, TransferNumber } from '../../types';
import { Card } from '../Card';
import { TextField } from '../Field';
import { PlanGate } from '../PlanNote';
import { RadioChoices, type Choice } from '../RadioChoices';
import { SaveBar } from '../SaveBar';

const MODES: Record<TransferMode, Choice> = {
  blind: { label: 'Straight through', hint: 'The caller is connected right away.' },
  warm: { label: 'Introduce first', hint: 'The assistant tells the person who answers what the call is about, then connects.' },
};

/** Where the assistant sends a caller who asks for a person. */
export function TransferCard({ data }: { data: TransferNumber }) {
  const [number, setNumber] = useState(data.transferNumber ?? '');
  const [mode, setMode] = useState<TransferMode>(data.transferMode);
  const save = useSave<{ transferNumber: string | null; transferMode: TransferMode }>('/api/transfer-number', 'PUT', PROMPT_PATHS);
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate({ transferNumber: number.trim() || null, transferMode: mode });
  };
  const unchanged = (number.trim() || null) === data.transferNumber && mode === data.transferMode;

  return (
    <Card
      id="transfer"
      title="Call transfer"
      description="When a caller asks for a person, or the assistant cannot help, it transfers the call here. Leave empty to take messages instead."
      aside={!data.canEdit && <PlanGate feature="transferNumber" />}
    >
      <form onSubmit={onSubmit} className="stack">
        <TextField
          label="Transfer to"
          type="tel"
          autoComplete="tel"
          placeholder="+1 555 123 4567"
          maxLength={LIMITS.phoneNumber}
          value={number}
          onChange={(e) => setNumber(e.target.value)}
          disabled={!data.canEdit}
          error={fieldErrorsOf(save.error).transferNumber}
        />
        <RadioChoices legend="How to transfer" name="transfer-mode" options={MODES} value={mode} onChange={setMode} disabled={!data.canEdit} />
        {data.canEdit && <SaveBar mutation={save} disabled={unchanged} />}
      </form>
    </Card>
  );
}
