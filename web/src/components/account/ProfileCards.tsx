import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, fieldErrorsOf } from '../../api';
import { sessionKey } from '../../auth';
import type { SessionUser } from '../../types';
import { Card } from '../Card';
import { TextField } from '../Field';
import { SaveBar } from '../SaveBar';

/** The name shown to teammates and in mails. */
export function NameCard({ user }: { user: SessionUser }) {
  const queryClient = useQueryClient();
  const [name, setName] = useState(user.name);
  const save = useMutation({
    mutationFn: () => api('/api/account', { method: 'PATCH', body: { name } }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: sessionKey }),
  });
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  return (
    <Card id="name" title="Name" description="How your teammates see you, and how our emails greet you.">
      <form onSubmit={onSubmit} className="stack narrow">
        <TextField
          label="Your name"
          autoComplete="name"
          required
          maxLength={100}
          hint="Up to 100 characters."
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={fieldErrorsOf(save.error).name}
        />
        <SaveBar mutation={save} label="Save name" disabled={!name.trim() || name.trim() === user.name} />
      </form>
    </Card>
  );
}

/** Changing the sign-in address: a link goes to the new one, and nothing changes until it is opened. */
export function EmailCard({ user }: { user: SessionUser }) {
  const [email, setEmail] = useState('');
  const [currentPassword, setPassword] = useState('');
  const ask = useMutation({
    mutationFn: () => api<{ message: string }>('/api/account/email', { method: 'POST', body: { email, currentPassword } }),
    onSuccess: () => {
      setEmail('');
      setPassword('');
    },
  });
  const errors = fieldErrorsOf(ask.error);
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    ask.mutate();
  };
  return (
    <Card id="email" title="Email" description={`You sign in with ${user.email}. A new address is used once you open the link we send to it.`}>
      <form onSubmit={onSubmit} className="stack narrow">
        <TextField label="New email" type="email" autoComplete="email" required maxLength={254} value={email} onChange={(e) => setEmail(e.target.value)} error={errors.email} />
        <TextField
          label="Current password"
          type="password"
          autoComplete="current-password"
          required
          hint="So nobody at an unlocked computer can move your account."
          value={currentPassword}
          onChange={(e) => setPassword(e.target.value)}
          error={errors.currentPassword}
        />
        <SaveBar mutation={{ ...ask, isSuccess: false }} label="Send confirmation link" disabled={!email || !currentPassword} />
        {ask.isSuccess && (
          <p className="note note-success" role="status">
            {ask.data.message}
          </p>
        )}
      </form>
    </Card>
  );
}
