import { useQuery } from '@tanstack/react-query';
import { api } from '../api';
import { ErrorNote } from '../components/ErrorNote';
import { Loading } from '../components/Loading';
import { A2P_PATH, A2pCard } from '../components/phone/A2pCard';
import { NumberCard } from '../components/phone/NumberCard';
import { SmsCard } from '../components/phone/SmsCard';
import { TransferCard } from '../components/phone/TransferCard';
import { useApi, useTitle } from '../hooks';
import type { A2pStatusView, TransferNumber } from '../types';

const SECTIONS = [
  ['number', 'Number'],
  ['transfer', 'Transfer'],
  ['sms', 'Text messages'],
  ['a2p', 'SMS registration'],
] as const;

export function Phone() {
  useTitle('Phone & SMS');
  const transfer = useApi<TransferNumber>('/api/transfer-number');
  // Carriers decide in days; while a review is pending, look again now and then.
  const a2p = useQuery({
    queryKey: [A2P_PATH],
    queryFn: ({ signal }) => api<A2pStatusView>(A2P_PATH, { signal }),
    refetchInterval: (q) => (q.state.data?.status.endsWith('_PENDING') ? 60_000 : false),
  });

  return (
    <>
      <header className="page-header">
        <h1>Phone &amp; SMS</h1>
        <p className="muted">Your number, where calls are transferred, and text messages.</p>
      </header>
      <nav className="page-nav" aria-label="Phone and SMS settings">
        {SECTIONS.map(([id, label]) => (
          <a key={id} href={`#${id}`}>
            {label}
          </a>
        ))}
      </nav>
      <NumberCard />
      {transfer.isPending ? <Loading /> : transfer.isError ? <ErrorNote error={transfer.error} /> : <TransferCard data={transfer.data} />}
      {a2p.isPending ? (
        <Loading />
      ) : a2p.isError ? (
        <ErrorNote error={a2p.error} />
      ) : (
        <>
          <SmsCard a2p={a2p.data} />
          <A2pCard a2p={a2p.data} />
        </>
      )}
    </>
  );
}
