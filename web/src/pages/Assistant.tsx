import type { ReactNode } from 'react';
import type { UseQueryResult } from '@tanstack/react-query';
import { Link } from 'react-router';
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
import { Card } from '../components/Card';
import { USAGE_PATH, useApi, useTitle } from '../hooks';
import type { AssistantName, BusinessAddress, BusinessHoursView, BusinessInfo, FirstMessage, Prompt, Usage, Voice } from '../types';

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

/** No assistant yet: what to do next, instead of errors and a default name it does not have. */
function NoAssistant() {
  return (
    <Card id="setup" title="Your receptionist is not set up yet">
      <p>Finish onboarding to create it: we read your website, you pick a voice, and it starts answering calls.</p>
      <p>Your business details below are saved now and go into its instructions when it is created.</p>
      <p>
        <Link to="/onboarding" className="button button-primary">
          Finish onboarding
        </Link>
      </p>
    </Card>
  );
}

export function Assistant() {
  useTitle('Assistant');
  // The shell reads usage already; it says whether the organization has an answering assistant.
  const usage = useApi<Usage>(USAGE_PATH);
  const hasAssistant = Boolean(usage.data?.assistant);
  // Business settings live on the organization; the rest needs an assistant, which onboarding creates.
  const name = useApi<AssistantName>('/api/assistant-name', { enabled: hasAssistant });
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
      {usage.isPending && <Loading />}
      <ErrorNote error={usage.error} />
      {usage.data && (
        <nav className="page-nav" aria-label="Assistant settings">
          {SECTIONS.filter(([id]) => hasAssistant || ['business', 'hours', 'address'].includes(id)).map(([id, label]) => (
            <a key={id} href={`#${id}`}>
              {label}
            </a>
          ))}
        </nav>
      )}
      {usage.data && !hasAssistant && <NoAssistant />}

      {hasAssistant && (
        <>
          <Loaded query={name}>{(data) => <NameCard data={data} />}</Loaded>
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
