import { useState, type FormEvent } from 'react';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { fieldErrorsOf } from '../api';
import { safePath, sessionKey, signIn, useSession } from '../auth';
import { ErrorNote } from '../components/ErrorNote';
import { TextField } from '../components/Field';
import { useTitle } from '../hooks';

/** Why the server sent the visitor back here (`?error=`). */
const REDIRECT_ERRORS: Record<string, string> = {
  'link-expired': 'That sign-in link has expired or was already used. Request a new one below.',
  CredentialsSignin: 'Invalid email or password.',
};

export function Login() {
  useTitle('Sign in');
  const [params] = useSearchParams();
  const session = useSession();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [email, setEmail] = useState(params.get('email') ?? '');
  const [password, setPassword] = useState('');
  const callbackUrl = safePath(params.get('callbackUrl'));

  const login = useMutation({
    mutationFn: () => signIn(email, password, callbackUrl),
    onSuccess: async (path) => {
      await queryClient.invalidateQueries({ queryKey: sessionKey });
      navigate(path, { replace: true });
    },
  });

  if (session.data?.user && !login.isPending) return <Navigate to={callbackUrl} replace />;

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    login.mutate();
  };
  const redirectError = REDIRECT_ERRORS[params.get('error') ?? ''];
  const fields = fieldErrorsOf(login.error);

  return (
    <>
      <h1>Sign in</h1>
      <p className="muted">Welcome back. Sign in to manage your receptionist.</p>
      {params.get('reset') && <p className="note note-success">Your password was changed. Sign in with the new one.</p>}
      {redirectError && !login.error && <p className="note note-error">{redirectError}</p>}
      <form onSubmit={onSubmit} className="stack">
        <TextField label="Email" type="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} error={fields.email} />
        <TextField
          label="Password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={fields.password}
        />
        <ErrorNote error={login.error} />
        <button className="button button-primary" type="submit" disabled={login.isPending}>
          {login.isPending ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      <div className="auth-links">
        <Link to="/forgot-password">Forgot your password?</Link>
        <Link to="/magic-link">Email me a sign-in link</Link>
      </div>
      <p className="auth-footer">
        New here? <Link to="/register">Create an account</Link>
      </p>
    </>
  );
}
