// The floors we compare against, as separate processes: a bare node:http JSON endpoint, a
// minimal Fastify app with the same route (what the framework alone costs), and node:http + pg
// answering the authenticated read with ONE prepared query, the statement ours runs (PEER=pg,
// run with `--import tsx`: the fastest peer), and node:http
// + pg ingesting VAPI end-of-call reports: parse the body, pick the stored fields, run our one
// store statement (PEER=ingest; the floor for ingestion: no framework, no other work).
import http from 'node:http';
import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import pg from 'pg';

const port = Number(process.env.PORT);
const mode = process.env.PEER;
let pool;
if (mode === 'pg' || mode === 'ingest') pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });

/**
 * The read as ours runs it: the same statement (taken from src, so run with `--import tsx`),
 * prepared under a name, rows as arrays, expiry checked after the read as ours does.
 */
async function sessionReadStatement() {
  const { drizzle } = await import('drizzle-orm/node-postgres');
  const { sessionRead } = await import('../src/modules/auth/sessions.ts');
  const read = sessionRead(drizzle.mock({ casing: 'snake_case' }));
  const { sql, params } = read.toSQL();
  // Columns come back in select order.
  const columns = Object.keys(read._.selectedFields);
  const expiresAt = columns.indexOf('expiresAt');
  const assistantName = columns.indexOf('assistantName');
  return {
    run: async (tokenHash) => {
      const values = params.map((p) => (p?.name === 'tokenHash' ? tokenHash : p));
      const { rows } = await pool.query({ name: 'peer-read', text: sql, values, rowMode: 'array' });
      const row = rows[0];
      return row && row[expiresAt] > new Date() ? { assistant: row[assistantName] } : undefined;
    },
  };
}

/** Fastify with the one route and nothing else: no logger, hooks or schemas. */
async function minimalFastify() {
  const { default: Fastify } = await import('fastify');
  const app = Fastify();
  app.get('/api/health', async () => ({ status: 'ok' }));
  await app.listen({ port, host: '127.0.0.1' });
}

async function nodeHttp() {
  const read = mode === 'pg' ? await sessionReadStatement() : undefined;
  http
    .createServer(async (req, res) => {
      if (mode !== 'pg' || req.url === '/api/health') {
        res.setHeader('content-type', 'application/json');
        return res.end('{"status":"ok"}');
      }
      const token = /next-auth\.session-token=([^;]+)/.exec(req.headers.cookie ?? '')?.[1] ?? '';
      const caller = await read.run(createHash('sha256').update(token).digest('hex'));
      if (!caller) {
        res.statusCode = 401;
        return res.end('{}');
      }
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ name: caller.assistant ?? 'Savannah', defaultName: 'Savannah', canEdit: false }));
    })
    .listen(port, '127.0.0.1');
}

/** POST /ingest: the same body, the same field picks and the same prepared statement as ours (from src: run with `--import tsx`). */
async function ingestPeer() {
  const { PgDialect } = await import('drizzle-orm/pg-core');
  const { STORE_REPORTS, storeReportValues } = await import('../src/modules/calls/calls.repo.ts');
  const { parseEndOfCallReport, reportEventPayload } = await import('../src/domain/calls.ts');
  const query = new PgDialect({ casing: 'snake_case' }).sqlToQuery(STORE_REPORTS);
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
        const values = storeReportValues(
          [
            {
              vapiAssistantId: report.vapiAssistantId,
              report,
              event: { key: `${report.vapiCallId}:end-of-call-report`, payload: reportEventPayload(message) },
              withSubscribers: false,
              redacted: false,
            },
          ],
          { now: new Date(), claim: randomUUID() },
        );
        await pool.query({ name: 'peer-store-report', text: query.sql, values: query.params.map((p) => values[p.name]) });
        res.setHeader('content-type', 'application/json');
        res.end('{"received":true}');
      });
    })
    .listen(port, '127.0.0.1');
}

if (mode === 'fastify') await minimalFastify();
else if (mode === 'ingest') await ingestPeer();
else await nodeHttp();
// A clean exit on stop(), so `node --cpu-prof` writes the peer's profile too.
process.once('SIGTERM', () => process.exit(0));
