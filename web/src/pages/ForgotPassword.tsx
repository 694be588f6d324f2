import { useTitle } from '../hooks';
import { EmailLinkForm } from '../components/EmailLinkForm';

export function ForgotPassword() {
  useTitle('Reset your password');
  return (
    <EmailLinkForm
      endpoint="/api/auth/forgot-password"
      title="Reset your password"
      intro="Enter the email you signed up with and we will send you a link to choose a new password."
      submit="Send reset link"
    />
  );
}
