import { useState, type FormEvent } from 'react';
import { LIMITS } from '../../../../src/domain/limits';
import { useMutation } from '@tanstack/react-query';
import { api, fieldErrorsOf } from '../../api';
import { formatPhone, formatShortDate } from '../../format';
import { useApi, useInvalidate, useIsManager } from '../../hooks';
import type { BlockedNumber } from '../../types';
import { Card } from '../Card';
import { ConfirmButton } from '../ConfirmButton';
import { ErrorNote } from '../ErrorNote';
import { TextField } from '../Field';
import { Loading } from '../Loading';
import { SaveBar } from '../SaveBar';
import { DataTable } from '../DataTable';

const PATH = '/api/blocked-numbers';

function BlockForm() {
  const invalidate = useInvalidate();
  const [number, setNumber] = useState('');
  const [reason, setReason] = useState('');
  const block = useMutation({
    mutationFn: () => api(PATH, { method: 'POST', body: { number, reason: reason.trim() || null } }),
    onSuccess: () => {
      setNumber('');
      setReason('');
      return invalidate(PATH);
    },
  });
  const errors = fieldErrorsOf(block.error);
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    block.mutate();
  };
  return (
    <form onSubmit={onSubmit} className="stack">
      <div className="row">
        <TextField
          label="Phone number"
          type="tel"
          autoComplete="off"
          required
          maxLength={32}
          placeholder="+1 555 987 6543"
          hint="With the country code, e.g. +44 20 7946 0958; US numbers may leave out +1."
          value={number}
          onChange={(e) => setNumber(e.target.value)}
          error={errors.number}
        />
        <TextField label="Reason (optional)" maxLength={LIMITS.blockReason} placeholder="Spam caller" value={reason} onChange={(e) => setReason(e.target.value)} error={errors.reason} />
      </div>
      {/* A bad number is said beside its field; the bar keeps other errors (already blocked, no permission). */}
      <SaveBar mutation={{ ...block, isSuccess: false, error: errors.number ? null : block.error }} label="Block number" disabled={!number.trim()} />
    </form>
  );
}

/** Callers the assistant never answers: their calls are rejected before it picks up, and not billed. */
export function BlockedNumbersCard() {
  const list = useApi<{ blockedNumbers: BlockedNumber[] }>(PATH);
  const manager = useIsManager();
  const invalidate = useInvalidate();
  const unblock = useMutation({
    mutationFn: (id: string) => api(`${PATH}/${id}`, { method: 'DELETE' }),
    onSuccess: () => invalidate(PATH),
  });
  return (
    <Card id="blocked" title="Blocked numbers" description="Calls from these numbers are rejected before the assistant answers, and never use your minutes.">
      {list.isPending && <Loading />}
      <ErrorNote error={list.error} />
      {list.data &&
        (list.data.blockedNumbers.length === 0 ? (
          <p className="empty">No blocked numbers.</p>
        ) : (
          <DataTable columns={[{ label: 'Number' }, { label: 'Reason' }, { label: 'Blocked', className: 'col-optional' }, { label: 'Actions', hidden: true }]}>
            {list.data.blockedNumbers.map((b) => (
              <tr key={b.id}>
                <td className="nowrap">{formatPhone(b.number)}</td>
                <td>{b.reason ?? <span className="muted">—</span>}</td>
                <td className="nowrap col-optional">{formatShortDate(b.createdAt)}</td>
                <td className="actions">
                  {manager && (
                    <ConfirmButton
                      label="Unblock"
                      question={`Unblock ${formatPhone(b.number)}?`}
                      confirmLabel="Yes, unblock"
                      onConfirm={() => unblock.mutate(b.id)}
                      pending={unblock.isPending && unblock.variables === b.id}
                    />
                  )}
                </td>
              </tr>
            ))}
          </DataTable>
        ))}
      <ErrorNote error={unblock.error} />
      {manager ? (
        <>
          <h3>Block a number</h3>
          <BlockForm />
        </>
      ) : (
        <p className="muted small">An owner or admin can block and unblock numbers.</p>
      )}
    </Card>
  );
}
