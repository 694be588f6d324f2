import type { FastifyReply } from 'fastify';

/** The frame and helpers of the pages the emulator hosts (Checkout, portal, invoices). */

export const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export const date = (unix: number) => new Date(unix * 1000).toISOString().slice(0, 10);

export function sendPage(reply: FastifyReply, title: string, body: string, status = 200) {
  return reply
    .status(status)
    .type('text/html; charset=utf-8')
    .send(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
        `<title>${escapeHtml(title)} · Stripe sandbox</title><style>body{font:16px system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem;color:#1a1f36}` +
        `.badge{display:inline-block;background:#ffde92;border-radius:4px;padding:2px 8px;font-size:12px}.amount{font-size:2rem;margin:.5rem 0}` +
        `input{width:100%;padding:.5rem;font-size:1rem;box-sizing:border-box}button{margin-top:1rem;width:100%;padding:.75rem;background:#635bff;color:#fff;border:0;border-radius:6px;font-size:1rem}` +
        `.hint{color:#697386;font-size:14px}.error{color:#df1b41}.ok{color:#0e6245}</style></head><body><main><span class="badge">Stripe sandbox · test mode</span>${body}</main></body></html>`,
    );
}

/** A card number field and its button; `error` (a decline) is shown above it, as Stripe's form does. */
export function cardForm(action: string, button: string, hint: string, error?: string) {
  const alert = error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : '';
  return (
    `<form method="post" action="${escapeHtml(action)}">${alert}` +
    `<label>Card number <input name="card" value="4242 4242 4242 4242" inputmode="numeric" autocomplete="off"></label>` +
    `<p class="hint">${escapeHtml(hint)}</p><button type="submit">${escapeHtml(button)}</button></form>`
  );
}
