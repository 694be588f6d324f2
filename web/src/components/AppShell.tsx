import { Suspense, useState } from 'react';
import { NavLink, Outlet, useNavigate } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { PLANS } from '../../../src/domain/plans';
import { signOut, useSession } from '../auth';
import { useApi, USAGE_PATH } from '../hooks';
import type { Usage } from '../types';
import { Loading } from './Loading';
import { Logo } from './Logo';
import { MobileNav, NavLinks, type NavItem } from './MobileNav';
import { PaymentBanner } from './billing/PaymentBanner';
import { SandboxBanner } from './SandboxBanner';

const NAV: NavItem[] = [
  { to: '/dashboard', label: 'Home', end: true },
  { to: '/dashboard/calls', label: 'Calls' },
  { to: '/dashboard/follow-ups', label: 'Follow-ups' },
  { to: '/dashboard/texts', label: 'Texts' },
  { to: '/dashboard/assistant', label: 'Assistant' },
  { to: '/dashboard/knowledge', label: 'Knowledge base' },
  { to: '/dashboard/phone', label: 'Phone & SMS' },
  { to: '/dashboard/calendar', label: 'Calendar' },
  { to: '/dashboard/widget', label: 'Widget' },
  { to: '/dashboard/analytics', label: 'Analytics' },
  { to: '/dashboard/digest', label: 'Daily digest' },
  { to: '/dashboard/billing', label: 'Billing' },
  { to: '/dashboard/call-handling', label: 'Call handling' },
  { to: '/dashboard/team', label: 'Team' },
  { to: '/dashboard/developers', label: 'Developers' },
];

export function AppShell() {
  const user = useSession().data?.user;
  const queryClient = useQueryClient();
  const open = useApi<Usage>(USAGE_PATH, { enabled: Boolean(user) }).data?.openFollowUps ?? 0;
  const navigate = useNavigate();
  const [signingOut, setSigningOut] = useState(false);
  const badge = (to: string) =>
    to === '/dashboard/follow-ups' &&
    open > 0 && (
      <span className="nav-badge" aria-label={`${open} open`}>
        {open}
      </span>
    );

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
        <nav aria-label="Main" className="side-nav">
          <NavLinks items={NAV} badge={badge} linkClass="nav-link" />
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
        <SandboxBanner />
        <PaymentBanner />
        {/* Here too, so a page loading on demand keeps the sidebar on screen. */}
        <Suspense fallback={<Loading />}>
          <Outlet />
        </Suspense>
      </main>
      <MobileNav items={NAV} badge={badge} />
    </div>
  );
}
