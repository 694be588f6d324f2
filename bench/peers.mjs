// The floors we compare against, as separate processes: a bare node:http JSON endpoint, a
// minimal Fastify app with the same route (what the framework alone costs), and node:http + pg
// answering the authenticated read with ONE prepared query (the fastest peer).
import http from 'node:http';
import { createHash } from 'node:crypto';
import pg from 'pg';

const port = Number(process.env.PORT);
const mode = process.env.PEER;
let pool;
if (mode === 'pg') pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });

const READ = {
  name: 'peer-read',
  text: `select u.name, a.name as assistant from sessions s join users u on u.id = s.user_id
         left join assistants a on a.organization_id = u.organization_id and a.status = 'ACTIVE'
         where s.token_hash = $1 and s.expires_at > now() limit 1`,
};

/** Fastify with the one route and nothing else: no logger, hooks or schemas. */
async function minimalFastify() {
  const { default: Fastify } = await import('fastify');
  const app = Fastify();
  app.get('/api/health', async () => ({ status: 'ok' }));
  await app.listen({ port, host: '127.0.0.1' });
}

function nodeHttp() {
  http
    .createServer(async (req, res) => {
      if (mode !== 'pg' || req.url === '/api/health') {
        res.setHeader('content-type', 'application/json');
        return res.end('{"status":"ok"}');
      }
      const token = /next-auth\.session-token=([^;]+)/.exec(req.headers.cookie ?? '')?.[1] ?? '';
      const { rows } = await pool.query({ ...READ, values: [createHash('sha256').update(token).digest('hex')] });
      if (!rows[0]) {
        res.statusCode = 401;
        return res.end('{}');
      }
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ name: rows[0].assistant ?? 'Savannah', defaultName: 'Savannah', canEdit: false }));
    })
    .listen(port, '127.0.0.1');
}

if (mode === 'fastify') await minimalFastify();
else nodeHttp();
