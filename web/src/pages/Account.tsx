import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import { PLANS } from '../../../src/domain/plans';
import { api, fieldErrorsOf } from '../api';
import { sessionKey, useSession } from '../auth';
import { EmailCard, NameCard } from '../components/account/ProfileCards';
import { Card } from '../components/Card';
import { TextField } from '../components/Field';
import { NotificationSettings } from '../components/NotificationSettings';
import { SaveBar } from '../components/SaveBar';
import { useTitle } from '../hooks';

/** Where the emailed confirmation link sends the browser back to (GET /api/account/email/confirm). */
const EMAIL_OUTCOMES: Record<string, { tone: string; text: string }> = {
  confirmed: { tone: 'note-success', text: 'Your email address is changed: sign in with the new one from now on.' },
  'link-expired': { tone: 'note-error', text: 'That confirmation link was already used or has expired. Ask for a new one below.' },
  taken: { tone: 'note-error', text: 'Another account uses that email address now, so yours was not changed.' },
};

/** Who is signed in: name, email (confirmed by a mailed link), notifications and the password (forced when an administrator requires one). */
export function Account() {
  useTitle('Account');
  const user = useSession().data?.user;
  const queryClient = useQueryClient();
  const [currentPassword, setCurrent] = useState('');
  const [newPassword, setNew] = useState('');
  const forced = !!user?.mustChangePassword;
  const outcome = EMAIL_OUTCOMES[useSearchParams()[0].get('email') ?? ''];
  const change = useMutation({
    mutationFn: () => api('/api/auth/password', { method: 'PUT', body: forced ? { newPassword, forced } : { currentPassword, newPassword } }),
    onSuccess: () => {
      setCurrent('');
      setNew('');
      return queryClient.invalidateQueries({ queryKey: sessionKey });
    },
  });
  const errors = fieldErrorsOf(change.error);
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    change.mutate();
  };
  if (!user) return null;

  return (
    <>
      <header className="page-header">
        <h1>Account</h1>
        <p className="muted">
          {user.name} · {user.email} · {humanRole(user.role)} · {PLANS[user.plan].label} plan
        </p>
      </header>
      {forced && <p className="note note-info">Your administrator asks you to choose a new password before you continue.</p>}
      {outcome && (
        <p className={`note ${outcome.tone}`} role="status">
          {outcome.text}
        </p>
      )}
      {!forced && (
        <>
          <NameCard user={user} />
          <EmailCard user={user} />
          <NotificationSettings />
        </>
      )}
      <Card title="Password" description="Changing it signs you out everywhere else.">
        <form onSubmit={onSubmit} className="stack narrow">
          {!forced && (
            <TextField
              label="Current password"
              type="password"
              autoComplete="current-password"
              required
              value={currentPassword}
              onChange={(e) => setCurrent(e.target.value)}
              error={errors.currentPassword}
            />
          )}
          <TextField
            label="New password"
            type="password"
            autoComplete="new-password"
            required
            minLength={8}
            hint="At least 8 characters."
            value={newPassword}
            onChange={(e) => setNew(e.target.value)}
            error={errors.newPassword}
          />
          <SaveBar mutation={change} label="Change password" />
        </form>
      </Card>
    </>
  );
}

const humanRole = (role: string) => role.charAt(0).toUpperCase() + role.slice(1);
