// The floors we compare against, as separate processes: a bare node:http JSON endpoint, a
// minimal Fastify app with the same route (what the framework alone costs), and node:http + pg
// answering the authenticated read with ONE prepared query (the fastest peer), and node:http
// + pg ingesting VAPI end-of-call reports: parse the body, pick the stored fields, run our one
// store statement (PEER=ingest; the floor for ingestion: no framework, no other work).
import http from 'node:http';
import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import pg from 'pg';

const port = Number(process.env.PORT);
const mode = process.env.PEER;
let pool;
if (mode === 'pg' || mode === 'ingest') pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });

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

/** POST /ingest: the same body, the same field picks and the same prepared statement as ours (from src: run with `--import tsx`). */
async function ingestPeer() {
  const { PgDialect } = await import('drizzle-orm/pg-core');
  const { STORE_REPORT, storeReportValues } = await import('../src/modules/calls/calls.repo.ts');
  const { parseEndOfCallReport, reportEventPayload } = await import('../src/domain/calls.ts');
  const query = new PgDialect({ casing: 'snake_case' }).sqlToQuery(STORE_REPORT);
  const secret = Buffer.from(process.env.VAPI_WEBHOOK_SECRET ?? '');
  http
    .createServer((req, res) => {
      if (req.method !== 'POST') return res.end('{"status":"ok"}');
      const chunks = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', async () => {
        const sent = Buffer.from(String(req.headers['x-vapi-secret'] ?? ''));
        if (sent.length !== secret.length || !timingSafeEqual(sent, secret)) {
          res.statusCode = 401;
          return res.end('{}');
        }
        const { message } = JSON.parse(Buffer.concat(chunks).toString());
        const report = parseEndOfCallReport(message);
        const values = storeReportValues({
          vapiAssistantId: report.vapiAssistantId,
          report,
          event: { key: `${report.vapiCallId}:end-of-call-report`, payload: reportEventPayload(message) },
          now: new Date(),
          claim: randomUUID(),
          withSubscribers: false,
        });
        await pool.query({ name: 'peer-store-report', text: query.sql, values: query.params.map((p) => values[p.name]) });
        res.setHeader('content-type', 'application/json');
        res.end('{"received":true}');
      });
    })
    .listen(port, '127.0.0.1');
}

if (mode === 'fastify') await minimalFastify();
else if (mode === 'ingest') await ingestPeer();
else nodeHttp();
