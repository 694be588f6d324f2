import { randomFillSync } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { hostname } from 'node:os';
import { LogController, type FastifyBaseLogger, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Bindings, ChildLoggerOptions } from 'fastify/types/logger.js';
import { pino, type DestinationStream } from 'pino';
import { loggerOptions, redactUrl } from './log-redaction.js';

/**
 * The application's logger, the request log and request loggers made on first use, writing to one destination (stdout, or the
 * stream a test reads). The request log is a logger of its own, without pino's redaction:
 * its one line per request holds no header and a URL with credentials censored, while the
 * redaction (secret-header paths at every depth) would cost more than the request itself.
 */
export function createLoggers(level: string, stream?: DestinationStream) {
  const destination = stream ?? pino.destination({ dest: 1, sync: true });
  const logger = pino(loggerOptions(level), destination);
  return {
    logger: logger as FastifyBaseLogger,
    accessLog: new AccessLog(destination, logger.isLevelEnabled('info')),
    childLoggerFactory: lazyChildLogger,
  };
}

type Level = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/**
 * `request.log`, made into a pino child only when a handler logs: most requests log nothing
 * but their access line, and pino's `child()` runs the secret redaction over its bindings.
 */
class LazyChildLogger {
  #child: FastifyBaseLogger | undefined;
  constructor(
    private readonly parent: FastifyBaseLogger,
    private readonly bindings: Bindings,
    private readonly options: ChildLoggerOptions,
  ) {}
  get level() {
    return this.options.level ?? this.parent.level;
  }
  private get real() {
    return (this.#child ??= this.parent.child(this.bindings, this.options));
  }
  private write(level: Level, args: unknown[]) {
    const real = this.real;
    (real[level] as (...a: unknown[]) => void).apply(real, args);
  }
  fatal(...args: unknown[]) {
    this.write('fatal', args);
  }
  error(...args: unknown[]) {
    this.write('error', args);
  }
  warn(...args: unknown[]) {
    this.write('warn', args);
  }
  info(...args: unknown[]) {
    this.write('info', args);
  }
  debug(...args: unknown[]) {
    this.write('debug', args);
  }
  trace(...args: unknown[]) {
    this.write('trace', args);
  }
  silent(...args: unknown[]) {
    this.write('silent', args);
  }
  child(bindings: Bindings, options?: ChildLoggerOptions) {
    return this.real.child(bindings, options);
  }
}

function lazyChildLogger(parent: FastifyBaseLogger, bindings: Bindings, options: ChildLoggerOptions) {
  return new LazyChildLogger(parent, bindings, options) as unknown as FastifyBaseLogger;
}

const ID_BYTES = 12;
const idPool = Buffer.alloc(ID_BYTES * 512);
let idOffset = idPool.length;

/**
 * A request id: 96 random bits as 16 URL-safe characters, cut from a pool filled 512 ids at a
 * time. randomUUID costs ~3× as much and builds its string piece by piece, which the header
 * check and the log line then flatten.
 */
export function newRequestId(): string {
  if (idOffset === idPool.length) {
    randomFillSync(idPool);
    idOffset = 0;
  }
  const id = idPool.toString('base64url', idOffset, idOffset + ID_BYTES);
  idOffset += ID_BYTES;
  return id;
}

/**
 * The id a request is logged and answered under: the caller's first x-request-id (its first 64
 * characters), or a new one. Read from the raw header list: `req.headers` is built on first
 * read, and the early health answer needs nothing else from it.
 */
export function requestIdOf(req: IncomingMessage): string {
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) {
    if (raw[i]!.length === 12 && raw[i]!.toLowerCase() === 'x-request-id') return raw[i + 1]!.slice(0, 64) || newRequestId();
  }
  return newRequestId();
}

/** Anything JSON must escape, and anything beyond ASCII (JSON.stringify's handling of lone surrogates is kept). */
const NEEDS_ESCAPE = /[\u0000-\u001f"\\\u007f-\uffff]/;

/** A JSON string literal: ids and URLs are nearly always plain ASCII, and JSON.stringify costs ~4× a regular-expression test. */
export const jsonString = (s: string) => (NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : `"${s}"`);

/** Every access line starts with pino's level and time and ends its fields with pino's pid and hostname. */
const LINE_START = `{"level":30,"time":`;
const LINE_SOURCE = `,"pid":${process.pid},"hostname":${JSON.stringify(hostname())}`;

/** Access logs with lines waiting for the end of the current event-loop turn. */
const waiting = new Set<AccessLog>();
// A crash that exits in the same turn still writes them (process.exit runs 'exit' listeners).
process.on('exit', () => {
  for (const log of waiting) log.flush();
});

/**
 * Fastify's per-request lines, one instead of two: nothing on arrival, and on completion
 * method, URL, status, time and peer, as pino would write them (level, time, pid, hostname).
 * The line is built by hand and the lines of one event-loop turn go out in one write: pino's
 * generic serializer and a write per request cost a fifth of a small request's throughput.
 * Failed requests keep Fastify's full error line (through pino, in order with other lines).
 */
export class AccessLog extends LogController {
  private pending = '';

  constructor(
    private readonly out: DestinationStream,
    private readonly on: boolean,
  ) {
    super();
  }

  override incomingRequest() {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply, metadata?: Record<string, unknown>) {
    if (error) {
      this.flush();
      return super.requestCompleted(error, request, reply, metadata);
    }
    this.completed(request.id, request.method, request.url, reply.statusCode, reply.elapsedTime, request.ip);
  }

  /** Queues the line of a request answered without error (also by the early health answer, which has no Fastify request). */
  completed(id: string, method: string, url: string, statusCode: number, elapsedMs: number, ip: string | undefined) {
    if (!this.on) return;
    const ms = Math.round(elapsedMs * 10) / 10;
    // Node's parser admits only known methods, and the peer's address is an IP: neither needs escaping.
    this.pending +=
      `${LINE_START}${Date.now()}${LINE_SOURCE},"reqId":${jsonString(id)},"method":"${method}",` +
      `"url":${jsonString(redactUrl(url))},"statusCode":${statusCode},"ms":${ms},"ip":${ip === undefined ? 'null' : `"${ip}"`},"msg":"request completed"}\n`;
    if (!waiting.has(this)) {
      waiting.add(this);
      setImmediate(() => this.flush());
    }
  }

  /** Writes the waiting lines now. */
  flush() {
    waiting.delete(this);
    if (!this.pending) return;
    const lines = this.pending;
    this.pending = '';
    this.out.write(lines);
  }
}
