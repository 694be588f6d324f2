import { Link } from 'react-router';
import { useTitle } from '../hooks';

export function NotFound() {
  useTitle('Not found');
  return (
    <div className="center-page">
      <h1>Page not found</h1>
      <p className="muted">There is nothing at this address.</p>
      <Link to="/dashboard" className="button button-primary">
        Go to your dashboard
      </Link>
    </div>
  );
}
