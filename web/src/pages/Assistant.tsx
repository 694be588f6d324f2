import type { ReactNode } from 'react';
import type { UseQueryResult } from '@tanstack/react-query';
import { ApiError } from '../api';
import { AddressCard } from '../components/assistant/AddressCard';
import { BusinessInfoCard } from '../components/assistant/BusinessInfoCard';
import { GreetingCard } from '../components/assistant/GreetingCard';
import { HoursCard } from '../components/assistant/HoursCard';
import { NameCard } from '../components/assistant/NameCard';
import { PromptCard } from '../components/assistant/PromptCard';
import { VersionHistory } from '../components/assistant/VersionHistory';
import { VoiceCard } from '../components/assistant/VoiceCard';
import { ErrorNote } from '../components/ErrorNote';
import { Loading } from '../components/Loading';
import { useApi, useTitle } from '../hooks';
import type { AssistantName, BusinessAddress, BusinessHoursView, BusinessInfo, FirstMessage, Prompt, Voice } from '../types';

/** Renders a card once its GET answered; until then a spinner, or the error. */
function Loaded<T>({ query, children }: { query: UseQueryResult<T>; children: (data: T) => ReactNode }) {
  if (query.isPending) return <Loading />;
  if (query.isError) return <ErrorNote error={query.error} />;
  return children(query.data);
}

const SECTIONS = [
  ['name', 'Name'],
  ['greeting', 'Greeting'],
  ['voice', 'Voice'],
  ['business', 'Business'],
  ['hours', 'Hours'],
  ['address', 'Address'],
  ['prompt', 'Prompt'],
  ['history', 'History'],
] as const;

export function Assistant() {
  useTitle('Assistant');
  const name = useApi<AssistantName>('/api/assistant-name');
  // Business settings live on the organization; the rest needs an assistant, which onboarding creates.
  const missing = name.error instanceof ApiError && name.error.status === 404 ? name.error : null;
  const hasAssistant = name.isSuccess;
  const greeting = useApi<FirstMessage>('/api/first-message-mode', { enabled: hasAssistant });
  const voice = useApi<Voice>('/api/voice', { enabled: hasAssistant });
  const prompt = useApi<Prompt>('/api/prompt', { enabled: hasAssistant });
  const info = useApi<BusinessInfo>('/api/business-info');
  const hours = useApi<BusinessHoursView>('/api/business-hours');
  const address = useApi<BusinessAddress>('/api/business-address');

  return (
    <>
      <header className="page-header">
        <h1>Assistant</h1>
        <p className="muted">How your receptionist sounds, what it knows, and what it is told to do.</p>
      </header>
      <nav className="page-nav" aria-label="Assistant settings">
        {SECTIONS.filter(([id]) => hasAssistant || ['business', 'hours', 'address'].includes(id)).map(([id, label]) => (
          <a key={id} href={`#${id}`}>
            {label}
          </a>
        ))}
      </nav>

      {missing && (
        <p className="note note-info">
          {missing.message} Your business details below are saved now and go into the assistant&apos;s instructions when it is created.
        </p>
      )}
      {name.isPending && <Loading />}
      {name.isError && !missing && <ErrorNote error={name.error} />}

      {hasAssistant && (
        <>
          <NameCard data={name.data} />
          <Loaded query={greeting}>{(data) => <GreetingCard data={data} />}</Loaded>
          <Loaded query={voice}>{(data) => <VoiceCard data={data} />}</Loaded>
        </>
      )}
      <Loaded query={info}>{(data) => <BusinessInfoCard data={data} />}</Loaded>
      <Loaded query={hours}>{(data) => <HoursCard data={data} />}</Loaded>
      <Loaded query={address}>{(data) => <AddressCard data={data} />}</Loaded>
      {hasAssistant && (
        <Loaded query={prompt}>
          {(data) => (
            <>
              <PromptCard data={data} />
              <VersionHistory prompt={data} />
            </>
          )}
        </Loaded>
      )}
    </>
  );
}
