import { lazy, Suspense, type ComponentType } from 'react';
import { Navigate, Route, Routes } from 'react-router';
import { useSession } from './auth';
import { AppShell } from './components/AppShell';
import { AuthLayout } from './components/AuthLayout';
import { Loading } from './components/Loading';
import { RequireAuth } from './components/RequireAuth';
import { Account } from './pages/Account';
import { Assistant } from './pages/Assistant';
import { CallDetail } from './pages/CallDetail';
import { Calls } from './pages/Calls';
import { ForgotPassword } from './pages/ForgotPassword';
import { Home } from './pages/Home';
import { Login } from './pages/Login';
import { MagicLink } from './pages/MagicLink';
import { NotFound } from './pages/NotFound';
import { Register } from './pages/Register';
import { ResetPassword } from './pages/ResetPassword';

/** Pages most visits never open load on demand: the first load carries sign-in, Home, Calls and the assistant settings. */
const page = <K extends string>(load: () => Promise<Record<K, ComponentType>>, name: K) => lazy(() => load().then((m) => ({ default: m[name] })));
const Analytics = page(() => import('./pages/Analytics'), 'Analytics');
const Billing = page(() => import('./pages/Billing'), 'Billing');
const Calendar = page(() => import('./pages/Calendar'), 'Calendar');
const CallHandling = page(() => import('./pages/CallHandling'), 'CallHandling');
const Digest = page(() => import('./pages/Digest'), 'Digest');
const FollowUps = page(() => import('./pages/FollowUps'), 'FollowUps');
const Invite = page(() => import('./pages/Invite'), 'Invite');
const KnowledgeBase = page(() => import('./pages/KnowledgeBase'), 'KnowledgeBase');
const Onboarding = page(() => import('./pages/Onboarding'), 'Onboarding');
const Phone = page(() => import('./pages/Phone'), 'Phone');
const Texts = page(() => import('./pages/Texts'), 'Texts');
const Team = page(() => import('./pages/Team'), 'Team');
const Developers = page(() => import('./pages/Developers'), 'Developers');
const Widget = page(() => import('./pages/Widget'), 'Widget');

/** "/" goes wherever the visitor belongs. */
function Root() {
  const session = useSession();
  if (session.isPending) return <Loading />;
  return <Navigate to={session.data?.user ? '/dashboard' : '/login'} replace />;
}

export function AppRoutes() {
  return (
    <Suspense fallback={<Loading />}>
      <Routes>
        <Route path="/" element={<Root />} />
        <Route element={<AuthLayout />}>
          <Route path="/login" element={<Login />} />
          <Route path="/register" element={<Register />} />
          <Route path="/forgot-password" element={<ForgotPassword />} />
          <Route path="/reset-password" element={<ResetPassword />} />
          <Route path="/magic-link" element={<MagicLink />} />
          <Route path="/invite" element={<Invite />} />
        </Route>
        <Route element={<RequireAuth />}>
          <Route path="/onboarding" element={<Onboarding />} />
          <Route path="/dashboard" element={<AppShell />}>
            <Route index element={<Home />} />
            <Route path="calls" element={<Calls />} />
            <Route path="calls/:id" element={<CallDetail />} />
            <Route path="follow-ups" element={<FollowUps />} />
            <Route path="texts" element={<Texts />} />
            <Route path="texts/:number" element={<Texts />} />
            <Route path="assistant" element={<Assistant />} />
            <Route path="knowledge" element={<KnowledgeBase />} />
            <Route path="phone" element={<Phone />} />
            {/* The A2P fee's receipt returns here (the server's default return path). */}
            <Route path="sms" element={<Navigate to="/dashboard/phone#a2p" replace />} />
            <Route path="calendar" element={<Calendar />} />
            <Route path="widget" element={<Widget />} />
            <Route path="analytics" element={<Analytics />} />
            <Route path="digest" element={<Digest />} />
            <Route path="billing" element={<Billing />} />
            <Route path="call-handling" element={<CallHandling />} />
            <Route path="team" element={<Team />} />
            <Route path="developers" element={<Developers />} />
            {/* Webhooks moved into Developers; old links and bookmarks still open them there. */}
            <Route path="webhooks" element={<Developers />} />
            <Route path="account" element={<Account />} />
            <Route path="*" element={<NotFound />} />
          </Route>
        </Route>
        <Route path="*" element={<NotFound />} />
      </Routes>
    </Suspense>
  );
}
