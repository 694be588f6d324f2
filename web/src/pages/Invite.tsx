import { useState, type FormEvent } from 'react';
import { LIMITS } from '../../../src/domain/limits';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, ApiError, fieldErrorsOf } from '../api';
import { sessionKey } from '../auth';
import { ErrorNote } from '../components/ErrorNote';
import { TextField } from '../components/Field';
import { useTitle } from '../hooks';

/** The page the invitation email links to: /invite?token=… creates the account and signs it in. */
export function Invite() {
  useTitle('Join your team');
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const token = params.get('token') ?? '';
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const accept = useMutation({
    mutationFn: () => api('/api/members/accept', { method: 'POST', body: { token, name, password } }),
    onSuccess: async () => {
      // Whoever was signed in before in this browser is replaced by the new account.
      queryClient.clear();
      await queryClient.invalidateQueries({ queryKey: sessionKey });
      navigate('/dashboard', { replace: true });
    },
  });

  if (!token) {
    return (
      <>
        <h1>Link incomplete</h1>
        <p className="note note-error">This invitation link has no token. Open the link from the email again.</p>
      </>
    );
  }
  const fields = fieldErrorsOf(accept.error);
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    accept.mutate();
  };
  return (
    <>
      <h1>Join your team</h1>
      <p className="muted">You were invited to Epoch Voice. Choose your name and a password to create your account.</p>
      <form onSubmit={onSubmit} className="stack">
        <TextField label="Your name" autoComplete="name" required maxLength={LIMITS.personName} value={name} onChange={(e) => setName(e.target.value)} error={fields.name} />
        <TextField
          label="Password"
          type="password"
          autoComplete="new-password"
          required
          minLength={8}
          hint="At least 8 characters."
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={fields.password}
        />
        <ErrorNote error={accept.error} />
        {accept.error instanceof ApiError && accept.error.code === 'INVALID_TOKEN' && <p className="small">Ask whoever invited you to send a new invitation.</p>}
        <button className="button button-primary" type="submit" disabled={accept.isPending}>
          {accept.isPending ? 'Joining…' : 'Join'}
        </button>
      </form>
      <p className="auth-footer">
        Already have an account? <Link to="/login">Sign in</Link>
      </p>
    </>
  );
}
