import { AfterHoursCard } from '../components/call-handling/AfterHoursCard';
import { BlockedNumbersCard } from '../components/call-handling/BlockedNumbersCard';
import { LanguagesCard } from '../components/call-handling/LanguagesCard';
import { VoicemailCard } from '../components/call-handling/VoicemailCard';
import { MissedCallTextCard } from '../components/call-handling/MissedCallTextCard';
import { PrivacyCard } from '../components/call-handling/PrivacyCard';
import { useTitle } from '../hooks';

const SECTIONS = [
  ['blocked', 'Blocked numbers'],
  ['after-hours', 'After hours'],
  ['languages', 'Languages'],
  ['voicemail', 'Voicemail'],
  ['missed-call-text', 'Missed-call text'],
  ['privacy', 'Privacy'],
] as const;

export function CallHandling() {
  useTitle('Call handling');
  return (
    <>
      <header className="page-header">
        <h1>Call handling</h1>
        <p className="muted">Who gets through, what happens after hours, and the languages your assistant speaks.</p>
      </header>
      <nav className="page-nav" aria-label="Call handling settings">
        {SECTIONS.map(([id, label]) => (
          <a key={id} href={`#${id}`}>
            {label}
          </a>
        ))}
      </nav>
      <BlockedNumbersCard />
      <AfterHoursCard />
      <LanguagesCard />
      <VoicemailCard />
      <MissedCallTextCard />
      <PrivacyCard />
    </>
  );
}
