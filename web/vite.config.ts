import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** Writes .br and .gz beside every text file of the build, which the server sends to browsers that accept them. */
function precompress(): Plugin {
  return {
    name: 'precompress',
    apply: 'build',
    closeBundle() {
      const outDir = here('../dist/web');
      for (const file of readdirSync(outDir, { recursive: true, encoding: 'utf8' })) {
        if (!/\.(js|css|html|svg|json)$/.test(file)) continue;
        const data = readFileSync(join(outDir, file));
        writeFileSync(join(outDir, `${file}.br`), brotliCompressSync(data));
        writeFileSync(join(outDir, `${file}.gz`), gzipSync(data, { level: 9 }));
      }
    },
  };
}

/** The dashboard: built into dist/web, which the Fastify server serves (src/plugins/web.ts). */
export default defineConfig({
  root: here('.'),
  plugins: [react(), precompress()],
  build: { outDir: here('../dist/web'), emptyOutDir: true },
  // `npm run dev:web` next to `npm run dev`: the API stays on its own port.
  server: { proxy: { '/api': 'http://127.0.0.1:3000', '/sandbox': 'http://127.0.0.1:3000' } },
});
