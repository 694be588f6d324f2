import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useMutation } from '@tanstack/react-query';
import { api, ApiError, fieldErrorsOf } from '../api';
import { ErrorNote } from '../components/ErrorNote';
import { TextField } from '../components/Field';
import { useTitle } from '../hooks';

/** The page the reset email links to: /reset-password?token=… */
export function ResetPassword() {
  useTitle('Choose a new password');
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const token = params.get('token') ?? '';
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const reset = useMutation({
    mutationFn: () => api('/api/auth/reset-password', { method: 'POST', body: { token, password } }),
    onSuccess: () => navigate('/login?reset=1', { replace: true }),
  });

  if (!token) {
    return (
      <>
        <h1>Link incomplete</h1>
        <p className="note note-error">This reset link has no token. Open the link from the email again, or ask for a new one.</p>
        <p className="auth-footer">
          <Link to="/forgot-password">Send a new reset link</Link>
        </p>
      </>
    );
  }

  const mismatch = confirm !== '' && confirm !== password;
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (!mismatch) reset.mutate();
  };
  const fields = fieldErrorsOf(reset.error);

  return (
    <>
      <h1>Choose a new password</h1>
      <p className="muted">Signing in with the new password ends your other sessions.</p>
      <form onSubmit={onSubmit} className="stack">
        <TextField
          label="New password"
          type="password"
          autoComplete="new-password"
          required
          minLength={8}
          hint="At least 8 characters."
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={fields.password}
        />
        <TextField
          label="Repeat the new password"
          type="password"
          autoComplete="new-password"
          required
          value={confirm}
          onChange={(e) => setConfirm(e.target.value)}
          error={mismatch ? 'The two passwords differ.' : undefined}
        />
        <ErrorNote error={reset.error} />
        {reset.error instanceof ApiError && reset.error.code === 'INVALID_TOKEN' && <Link to="/forgot-password">Send a new reset link</Link>}
        <button className="button button-primary" type="submit" disabled={reset.isPending || mismatch}>
          {reset.isPending ? 'Saving…' : 'Set new password'}
        </button>
      </form>
    </>
  );
}
