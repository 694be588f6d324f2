import { useState } from 'react';
import { NavLink, Outlet, useNavigate } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { PLANS } from '../../../src/domain/plans';
import { signOut, useSession } from '../auth';
import { Logo } from './Logo';

const NAV = [
  { to: '/dashboard', label: 'Home', end: true },
  { to: '/dashboard/calls', label: 'Calls' },
  { to: '/dashboard/assistant', label: 'Assistant' },
];

/** Pages whose API arrives with a later group: shown so the product's shape is visible, not clickable. */
const SOON = ['Knowledge base', 'Phone & SMS', 'Calendar', 'Widget', 'Billing'];

export function AppShell() {
  const user = useSession().data?.user;
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [signingOut, setSigningOut] = useState(false);

  async function onSignOut() {
    setSigningOut(true);
    try {
      await signOut(queryClient);
    } finally {
      navigate('/login', { replace: true });
    }
  }

  return (
    <div className="shell">
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <aside className="sidebar">
        <Logo />
        <nav aria-label="Main">
          <ul>
            {NAV.map((item) => (
              <li key={item.to}>
                <NavLink to={item.to} end={item.end} className="nav-link">
                  {item.label}
                </NavLink>
              </li>
            ))}
            {SOON.map((label) => (
              <li key={label}>
                <span className="nav-link nav-soon" aria-disabled="true" title="Coming soon">
                  {label} <span className="badge">Soon</span>
                </span>
              </li>
            ))}
          </ul>
        </nav>
        {user && (
          <div className="sidebar-user">
            <NavLink to="/dashboard/account" className="user-chip">
              <span className="avatar" aria-hidden="true">
                {user.name.charAt(0).toUpperCase()}
              </span>
              <span>
                <strong>{user.name}</strong>
                <span className="muted small">{PLANS[user.plan].label} plan</span>
              </span>
            </NavLink>
            <button type="button" className="button button-quiet" onClick={onSignOut} disabled={signingOut}>
              Sign out
            </button>
          </div>
        )}
      </aside>
      <main id="main" className="content" tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}
