import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { BrowserRouter } from 'react-router';
import { ApiError } from './api';
import { sessionKey } from './auth';
import { AppRoutes } from './routes';
import './styles.css';

const queryClient = new QueryClient({
  queryCache: new QueryCache({
    // A session that ended while the page was open: forget it, and the route guard sends the user to login.
    onError: (err) => {
      if (err instanceof ApiError && err.status === 401) queryClient.setQueryData(sessionKey, {});
    },
  }),
  defaultOptions: {
    queries: {
      // 4xx answers are final (not found, plan, validation); only retry what may be transient.
      retry: (count, err) => !(err instanceof ApiError && err.status >= 400 && err.status < 500) && count < 2,
      refetchOnWindowFocus: false,
    },
  },
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <BrowserRouter>
        <AppRoutes />
      </BrowserRouter>
    </QueryClientProvider>
  </StrictMode>,
);
