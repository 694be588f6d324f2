import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** The dashboard: built into dist/web, which the Fastify server serves (src/plugins/web.ts). */
export default defineConfig({
  root: here('.'),
  plugins: [react()],
  build: { outDir: here('../dist/web'), emptyOutDir: true },
  // `npm run dev:web` next to `npm run dev`: the API stays on its own port.
  server: { proxy: { '/api': 'http://127.0.0.1:3000', '/sandbox': 'http://127.0.0.1:3000' } },
});
