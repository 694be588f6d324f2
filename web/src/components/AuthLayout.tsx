import { Link, Outlet } from 'react-router';
import { Logo } from './Logo';

/** The frame of the signed-out pages: one centred card. */
export function AuthLayout() {
  return (
    <main className="auth-layout">
      <Link to="/" className="auth-brand" aria-label="Epoch Voice home">
        <Logo />
      </Link>
      <div className="auth-card">
        <Outlet />
      </div>
      <p className="muted small">Your AI receptionist answers every call, day and night.</p>
    </main>
  );
}
