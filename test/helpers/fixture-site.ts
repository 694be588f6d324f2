import { createServer, type Server } from 'node:http';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';

/**
 * Serves test/fixtures/websites/<site>/ on a loopback port: "/" is index.html, "/x" is
 * x.html. `pages` overrides or adds paths (e.g. to change a page between two reads).
 */
export async function serveFixtureSite(site: string, pages: Record<string, string> = {}) {
  const dir = join(import.meta.dirname, '..', 'fixtures', 'websites', site);
  let hits = 0;
  let notModified = 0;
  const server: Server = createServer((req, res) => {
    hits++;
    const path = (req.url ?? '/').split('?')[0]!.replace(/\/$/, '') || '/';
    const file = join(dir, path === '/' ? 'index.html' : `${path.slice(1)}.html`);
    const body = pages[path] ?? (existsSync(file) ? readFileSync(file, 'utf8') : undefined);
    if (body === undefined) {
      res.statusCode = 404;
      res.end('not found');
      return;
    }
    // A strong ETag from the content, honored like a real server: unchanged → 304, no body.
    const etag = `"${createHash('sha256').update(body).digest('hex').slice(0, 16)}"`;
    res.setHeader('etag', etag);
    if (req.headers['if-none-match'] === etag) {
      notModified++;
      res.statusCode = 304;
      res.end();
      return;
    }
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/`,
    pages,
    hits: () => hits,
    notModified: () => notModified,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
