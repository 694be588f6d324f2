import { useState, type FormEvent } from 'react';
import { Link, Navigate, useNavigate } from 'react-router';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, fieldErrorsOf } from '../api';
import { sessionKey, signIn, useSession } from '../auth';
import { ErrorNote } from '../components/ErrorNote';
import { LIMITS } from '../../../src/domain/limits';
import { TextField } from '../components/Field';
import { useTitle } from '../hooks';
import type { OnboardingStatus } from '../types';

const EMPTY = { name: '', organizationName: '', email: '', password: '' };

export function Register() {
  useTitle('Create your account');
  const session = useSession();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [form, setForm] = useState(EMPTY);
  const set = (key: keyof typeof EMPTY) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [key]: e.target.value }));

  // A new account signs straight in (nobody wants to type the password twice), then sets up its receptionist.
  const register = useMutation({
    mutationFn: async () => {
      await api('/api/auth/register', { method: 'POST', body: form });
      const path = await signIn(form.email, form.password, '/dashboard');
      const onboarding = await api<OnboardingStatus>('/api/onboarding').catch(() => null);
      return onboarding && !onboarding.completed ? '/onboarding' : path;
    },
    onSuccess: async (path) => {
      await queryClient.invalidateQueries({ queryKey: sessionKey });
      navigate(path, { replace: true });
    },
  });

  if (session.data?.user && !register.isPending && !register.isSuccess) return <Navigate to="/dashboard" replace />;

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    register.mutate();
  };
  const fields = fieldErrorsOf(register.error);

  return (
    <>
      <h1>Create your account</h1>
      <p className="muted">Set up an AI receptionist for your business in minutes.</p>
      <form onSubmit={onSubmit} className="stack">
        <TextField label="Your name" autoComplete="name" required maxLength={LIMITS.personName} value={form.name} onChange={set('name')} error={fields.name} />
        <TextField
          label="Business name"
          autoComplete="organization"
          required
          maxLength={LIMITS.businessName}
          value={form.organizationName}
          onChange={set('organizationName')}
          error={fields.organizationName}
        />
        <TextField label="Email" type="email" autoComplete="email" required maxLength={LIMITS.email} value={form.email} onChange={set('email')} error={fields.email} />
        <TextField
          label="Password"
          type="password"
          autoComplete="new-password"
          required
          minLength={LIMITS.passwordMin}
          maxLength={LIMITS.passwordMax}
          hint={`At least ${LIMITS.passwordMin} characters.`}
          value={form.password}
          onChange={set('password')}
          error={fields.password}
        />
        <ErrorNote error={register.error} />
        <button className="button button-primary" type="submit" disabled={register.isPending}>
          {register.isPending ? 'Creating your account…' : 'Create account'}
        </button>
      </form>
      <p className="auth-footer">
        Already have an account? <Link to="/login">Sign in</Link>
      </p>
    </>
  );
}
