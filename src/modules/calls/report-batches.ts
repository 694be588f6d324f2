import { randomUUID } from 'node:crypto';
import type { AppContext } from '../../context.js';
import { storeReport, storeReports, type ReportToStore, type StoredReport } from './calls.repo.js';

/** Statements storing reports at once: a burst beyond them waits and then shares one. */
const IN_FLIGHT = 4;
/** Reports per statement at most (a statement's parameter stays a few hundred KB). */
const MAX_BATCH = 64;

interface Waiting {
  report: ReportToStore;
  resolve(stored: StoredReport): void;
  reject(error: unknown): void;
}

/**
 * End-of-call reports that arrive together are stored together: one statement (one
 * transaction, one commit, one round trip) for every report waiting, instead of one each.
 * At most IN_FLIGHT statements run at once and reports arriving meanwhile wait for the next
 * one, so a lone report goes at once and a burst shares statements.
 *
 * Two reports of one call (a duplicate delivery, the sync job racing the webhook) never
 * share a statement nor run at once: the later waits for the earlier, then finds it stored.
 * A statement that fails (one bad report, a lost connection) is repeated one report at a
 * time, so each report gets its own answer and one bad report costs the others nothing.
 */
class ReportBatches {
  private waiting: Waiting[] = [];
  private readonly callsInFlight = new Set<string>();
  private inFlight = 0;
  private flushQueued = false;

  constructor(private readonly ctx: AppContext) {}

  store(report: ReportToStore): Promise<StoredReport> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ report, resolve, reject });
      if (this.flushQueued) return;
      this.flushQueued = true;
      // After this turn of the event loop: reports parsed in it go in one statement.
      setImmediate(() => {
        this.flushQueued = false;
        this.flush();
      });
    });
  }

  private flush() {
    while (this.inFlight < IN_FLIGHT) {
      const batch = this.take();
      if (batch.length === 0) return;
      this.inFlight++;
      void this.run(batch).finally(() => {
        this.inFlight--;
        for (const w of batch) this.callsInFlight.delete(w.report.report.vapiCallId);
        this.flush();
      });
    }
  }

  /** The waiting reports of calls not already being stored, up to MAX_BATCH; the rest keep waiting. */
  private take(): Waiting[] {
    const batch: Waiting[] = [];
    const later: Waiting[] = [];
    for (const w of this.waiting) {
      const call = w.report.report.vapiCallId;
      if (batch.length < MAX_BATCH && !this.callsInFlight.has(call)) {
        this.callsInFlight.add(call);
        batch.push(w);
      } else later.push(w);
    }
    this.waiting = later;
    return batch;
  }

  private async run(batch: Waiting[]) {
    const attempt = () => ({ now: this.ctx.now(), claim: randomUUID() });
    try {
      const stored = await storeReports(this.ctx.db, batch.map((w) => w.report), attempt());
      batch.forEach((w, i) => w.resolve(stored[i]!));
    } catch (error) {
      if (batch.length === 1) return batch[0]!.reject(error);
      this.ctx.log.warn({ err: error, reports: batch.length }, 'reports stored one at a time: their shared statement failed');
      await Promise.all(batch.map((w) => storeReport(this.ctx.db, w.report, attempt()).then(w.resolve, w.reject)));
    }
  }
}

const batchesPerApp = new WeakMap<AppContext, ReportBatches>();

/** Stores one report (of the app's own database, outside any transaction) with whatever reports arrive with it. */
export function storeWithOthers(ctx: AppContext, report: ReportToStore): Promise<StoredReport> {
  let batches = batchesPerApp.get(ctx);
  if (!batches) batchesPerApp.set(ctx, (batches = new ReportBatches(ctx)));
  return batches.store(report);
}
