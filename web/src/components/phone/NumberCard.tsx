import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { useMutation, useQuery } from '@tanstack/react-query';
import { api, fieldErrorsOf } from '../../api';
import { formatPhone } from '../../format';
import { USAGE_PATH, useInvalidate, useIsManager } from '../../hooks';
import type { NumberSearch, PhoneNumberInfo } from '../../types';
import { Card } from '../Card';
import { ErrorNote } from '../ErrorNote';
import { TextField } from '../Field';
import { Loading } from '../Loading';

export const PHONE_PATH = '/api/phone-numbers';

/** No number yet: look at what an area code offers, then take one there. */
function GetNumber() {
  const [areaCode, setAreaCode] = useState('');
  const [searched, setSearched] = useState<string | null>(null);
  const invalidate = useInvalidate();
  const search = useQuery({
    queryKey: [`${PHONE_PATH}/search`, searched],
    queryFn: ({ signal }) => api<NumberSearch>(`${PHONE_PATH}/search?${new URLSearchParams({ areaCode: searched!, limit: '5' })}`, { signal }),
    enabled: searched !== null,
  });
  const provision = useMutation({
    mutationFn: (code: string) => api(PHONE_PATH, { method: 'POST', body: { areaCode: code } }),
    onSuccess: () => invalidate(PHONE_PATH, USAGE_PATH, '/api/onboarding'),
  });
  const valid = /^[2-9]\d{2}$/.test(areaCode);
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (valid) setSearched(areaCode);
  };
  const numbers = search.data?.numbers ?? [];

  return (
    <div className="stack">
      <form onSubmit={onSubmit} className="inline-form">
        <TextField
          label="Area code"
          inputMode="numeric"
          pattern="[2-9][0-9]{2}"
          maxLength={3}
          placeholder="415"
          value={areaCode}
          onChange={(e) => setAreaCode(e.target.value.replace(/\D/g, ''))}
          hint="A 3-digit US area code."
          error={fieldErrorsOf(search.error).areaCode}
        />
        <button type="submit" className="button" disabled={!valid || search.isFetching}>
          {search.isFetching ? 'Searching…' : 'Search'}
        </button>
      </form>
      {search.isError && <ErrorNote error={search.error} />}
      {search.isSuccess &&
        (numbers.length ? (
          <>
            <p className="muted small">Available in {searched} now (one is assigned when you confirm):</p>
            <ul className="number-list">
              {numbers.map((n) => (
                <li key={n.phoneNumber}>
                  <strong>{formatPhone(n.phoneNumber)}</strong>
                  <span className="muted small">{[n.locality, n.region].filter(Boolean).join(', ')}</span>
                </li>
              ))}
            </ul>
            <div className="save-bar">
              <button type="button" className="button button-primary" onClick={() => provision.mutate(searched!)} disabled={provision.isPending}>
                {provision.isPending ? 'Setting up your number…' : `Get a number in ${searched}`}
              </button>
            </div>
          </>
        ) : (
          <p className="empty">No numbers available in {searched}. Try a neighbouring area code.</p>
        ))}
      <ErrorNote error={provision.error} />
    </div>
  );
}

export function NumberCard() {
  const info = useQuery({ queryKey: [PHONE_PATH], queryFn: ({ signal }) => api<PhoneNumberInfo>(PHONE_PATH, { signal }) });
  const manager = useIsManager();
  return (
    <Card id="number" title="Phone number" description="The number callers dial to reach your assistant.">
      {info.isPending && <Loading />}
      <ErrorNote error={info.error} />
      {info.data &&
        (info.data.phoneNumber ? (
          <div className="number-live">
            <span className="big-number" data-testid="phone-number">
              {formatPhone(info.data.phoneNumber)}
            </span>
            <span className="muted">
              Answered by {info.data.assistantName ?? 'your assistant'}
              {info.data.hasSipTrunk ? ' · connected' : ''}
            </span>
          </div>
        ) : !info.data.hasAssistant ? (
          <p className="note note-info">
            A number answers through your assistant, so the assistant comes first. <Link to="/onboarding">Finish setup</Link> to get both.
          </p>
        ) : manager ? (
          <GetNumber />
        ) : (
          <p className="empty">No number yet. Ask an owner or admin to get one.</p>
        ))}
    </Card>
  );
}
