import { Link } from 'react-router';
import { Logo } from '../components/Logo';
import { useTitle } from '../hooks';

/**
 * Where the welcome email points. The wizard (website analysis, voice, number) comes with
 * the onboarding API; until then it sends the owner to the settings that already exist.
 */
export function Onboarding() {
  useTitle('Get started');
  return (
    <main className="auth-layout">
      <Logo />
      <div className="auth-card">
        <h1>Let&apos;s set up your receptionist</h1>
        <p className="muted">Tell your assistant about your business: what you do, when you are open and where you are.</p>
        <ol className="steps">
          <li>Describe your business and add your website.</li>
          <li>Set your opening hours and time zone.</li>
          <li>Add your address so callers can find you.</li>
        </ol>
        <Link to="/dashboard/assistant#business" className="button button-primary">
          Start with your business details
        </Link>
        <p className="auth-footer">
          <Link to="/dashboard">Skip to the dashboard</Link>
        </p>
      </div>
    </main>
  );
}
