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
import { Onboarding } from './pages/Onboarding';
import { Register } from './pages/Register';
import { ResetPassword } from './pages/ResetPassword';

/** "/" goes wherever the visitor belongs. */
function Root() {
  const session = useSession();
  if (session.isPending) return <Loading />;
  return <Navigate to={session.data?.user ? '/dashboard' : '/login'} replace />;
}

export function AppRoutes() {
  return (
    <Routes>
      <Route path="/" element={<Root />} />
      <Route element={<AuthLayout />}>
        <Route path="/login" element={<Login />} />
        <Route path="/register" element={<Register />} />
        <Route path="/forgot-password" element={<ForgotPassword />} />
        <Route path="/reset-password" element={<ResetPassword />} />
        <Route path="/magic-link" element={<MagicLink />} />
      </Route>
      <Route element={<RequireAuth />}>
        <Route path="/onboarding" element={<Onboarding />} />
        <Route path="/dashboard" element={<AppShell />}>
          <Route index element={<Home />} />
          <Route path="calls" element={<Calls />} />
          <Route path="calls/:id" element={<CallDetail />} />
          <Route path="assistant" element={<Assistant />} />
          <Route path="account" element={<Account />} />
          <Route path="*" element={<NotFound />} />
        </Route>
      </Route>
      <Route path="*" element={<NotFound />} />
    </Routes>
  );
}
