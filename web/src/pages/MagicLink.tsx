import { useTitle } from '../hooks';
import { EmailLinkForm } from '../components/EmailLinkForm';

/** Requests a one-time link; the link itself goes to GET /api/auth/magic-link, which signs in and lands on /dashboard. */
export function MagicLink() {
  useTitle('Sign in with a link');
  return (
    <EmailLinkForm
      endpoint="/api/auth/magic-link"
      title="Sign in with a link"
      intro="No password needed: we will email you a link that signs you in. It works once, within 10 minutes."
      submit="Email me a link"
    />
  );
}
