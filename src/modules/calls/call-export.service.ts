import { Readable } from 'node:stream';
import Papa from 'papaparse';
import type { AppContext } from '../../context.js';
import { minutesOf } from '../../domain/calls.js';
import { hasFeature } from '../../domain/plans.js';
import { getProfile } from '../assistants/assistants.repo.js';
import type { AuthContext } from '../auth/sessions.js';
import { exportBatch, type CallCursor, type CallFilters } from './call-search.repo.js';

/** Rows read per query: the export holds one batch at a time, whatever the total. */
export const EXPORT_BATCH = 1000;

/** RFC 4180 lines (CRLF, quoted as needed); a cell starting with = + - @ gets a leading ' so spreadsheets never run it. */
const csvLines = (rows: unknown[][]) => `${Papa.unparse(rows, { escapeFormulae: true, newline: '\r\n' })}\r\n`;

const localTime = (timeZone: string) => {
  const f = new Intl.DateTimeFormat('sv-SE', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
  return (d: Date | null) => (d ? f.format(d) : '');
};

/**
 * The filtered calls as a CSV stream, newest first, read in keyset batches so memory stays
 * flat for any number of calls. Transcripts are a column only on plans that have them.
 */
export async function exportCalls(ctx: AppContext, auth: AuthContext, filters: CallFilters) {
  const { timezone } = await getProfile(ctx.db, auth.organizationId);
  const withTranscripts = hasFeature(auth.plan, 'transcripts');
  const at = localTime(timezone);
  const header = [`Started (${timezone})`, 'Direction', 'Status', 'Caller', 'Minutes', 'Ended reason', 'Outcome', 'Summary', ...(withTranscripts ? ['Transcript'] : []), 'Call id'];

  async function* lines() {
    yield csvLines([header]);
    let after: CallCursor | undefined;
    for (;;) {
      const rows = await exportBatch(ctx.db, auth.organizationId, filters, EXPORT_BATCH, after);
      if (rows.length === 0) return;
      yield csvLines(
        rows.map((c) => [
          at(c.startedAt ?? c.createdAt),
          c.type === 'outboundPhoneCall' ? 'outbound' : 'inbound',
          c.status,
          c.customerNumber ?? '',
          c.durationSeconds === null ? '' : minutesOf(c.durationSeconds),
          c.endedReason ?? '',
          c.outcome?.category ?? '',
          c.summary ?? '',
          ...(withTranscripts ? [c.transcript ?? ''] : []),
          c.id,
        ]),
      );
      if (rows.length < EXPORT_BATCH) return;
      const last = rows.at(-1)!;
      after = { at: last.sortKey, id: last.id };
    }
  }

  const day = at(ctx.now()).slice(0, 10);
  return { fileName: `calls-${day}.csv`, stream: Readable.from(lines()) };
}
