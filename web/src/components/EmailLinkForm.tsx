import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { useMutation } from '@tanstack/react-query';
import { api, fieldErrorsOf } from '../api';
import { ErrorNote } from './ErrorNote';
import { TextField } from './Field';

/**
 * Asks the server to mail a link (reset or sign-in). The answer is the same whether or
 * not the account exists, so it is shown as is.
 */
export function EmailLinkForm({ endpoint, title, intro, submit }: { endpoint: string; title: string; intro: string; submit: string }) {
  const [email, setEmail] = useState('');
  const send = useMutation({ mutationFn: () => api<{ message: string }>(endpoint, { method: 'POST', body: { email } }) });
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    send.mutate();
  };
  const fields = fieldErrorsOf(send.error);

  return (
    <>
      <h1>{title}</h1>
      {send.isSuccess ? (
        <p className="note note-success" role="status">
          {send.data.message} Check your inbox.
        </p>
      ) : (
        <>
          <p className="muted">{intro}</p>
          <form onSubmit={onSubmit} className="stack">
            <TextField label="Email" type="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} error={fields.email} />
            <ErrorNote error={send.error} />
            <button className="button button-primary" type="submit" disabled={send.isPending}>
              {send.isPending ? 'Sending…' : submit}
            </button>
          </form>
        </>
      )}
      <p className="auth-footer">
        <Link to="/login">Back to sign in</Link>
      </p>
    </>
  );
}
