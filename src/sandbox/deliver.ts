import type { FastifyBaseLogger } from 'fastify';

/**
 * Sends a webhook from an emulator to our own public URL, as the real service would:
 * over HTTP, after the emulated operation answered, never failing that operation.
 * Returns the status our route answered (undefined if it could not be reached).
 */
export async function deliverWebhook(
  log: FastifyBaseLogger,
  url: string,
  init: { headers: Record<string, string>; body: string },
): Promise<number | undefined> {
  try {
    const res = await fetch(url, { method: 'POST', ...init, signal: AbortSignal.timeout(20_000) });
    await res.arrayBuffer();
    if (!res.ok) log.warn({ url, status: res.status }, 'sandbox webhook answered non-2xx');
    return res.status;
  } catch (err) {
    log.warn({ err, url }, 'sandbox webhook delivery failed');
    return undefined;
  }
}
