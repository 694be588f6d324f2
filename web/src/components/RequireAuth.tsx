import { Navigate, Outlet, useLocation } from 'react-router';
import { useSession } from '../auth';
import { ErrorNote } from './ErrorNote';
import { Loading } from './Loading';

/** Signed-in routes: visitors go to login and come back here after; a forced password change comes first. */
export function RequireAuth() {
  const session = useSession();
  const location = useLocation();
  if (session.isPending) return <Loading />;
  if (session.isError) return <ErrorNote error={session.error} />;
  const user = session.data.user;
  if (!user) {
    const back = location.pathname + location.search;
    return <Navigate to={`/login?callbackUrl=${encodeURIComponent(back)}`} replace />;
  }
  if (user.mustChangePassword && location.pathname !== '/dashboard/account') {
    return <Navigate to="/dashboard/account" replace />;
  }
  return <Outlet />;
}
