import { useState, type FormEvent } from 'react';
import { LIMITS } from '../../../../src/domain/limits';
import { fieldErrorsOf } from '../../api';
import { PROMPT_PATHS, useSave } from '../../hooks';
import type { BusinessAddress } from '../../types';
import { Card } from '../Card';
import { TextField } from '../Field';
import { SaveBar } from '../SaveBar';

export function AddressCard({ data }: { data: BusinessAddress }) {
  const [address, setAddress] = useState(data.businessAddress ?? '');
  const save = useSave<BusinessAddress>('/api/business-address', 'PUT', PROMPT_PATHS);
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate({ businessAddress: address.trim() || null });
  };
  return (
    <Card id="address" title="Address" description="Given to callers who ask where you are.">
      <form onSubmit={onSubmit} className="stack">
        <TextField
          label="Street address"
          autoComplete="street-address"
          maxLength={LIMITS.businessAddress}
          placeholder="123 Main St, Suite 100, San Francisco, CA 94102"
          value={address}
          onChange={(e) => setAddress(e.target.value)}
          error={fieldErrorsOf(save.error).businessAddress}
        />
        <SaveBar mutation={save} />
      </form>
    </Card>
  );
}
