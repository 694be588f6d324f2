import { describe, expect, it } from 'vitest';
import { unreadableWebsiteMessage } from '../../src/domain/website-fetch-advice.js';
import type { SafeFetchReason } from '../../src/lib/safe-fetch.js';

const URL_ = 'https://www.harbordental.example/contact';

describe('unreadableWebsiteMessage', () => {
  const cases: Array<[SafeFetchReason, number | undefined, RegExp]> = [
    ['invalid-url', undefined, /^That does not look like a website address\. Check the spelling/],
    ['dns-failed', undefined, /^We could not find a website at www\.harbordental\.example\. Check the spelling/],
    ['blocked-address', undefined, /^www\.harbordental\.example points to a private network/],
    ['timeout', undefined, /took too long to answer\. Try again in a minute, try your home page's address/],
    ['too-large', undefined, /^That page is too large for us to read\./],
    ['not-html', undefined, /opens a file \(such as a PDF or an image\), not a web page/],
    ['too-many-redirects', undefined, /keeps sending us from one address to another/],
    ['http-error', 404, /says this page does not exist/],
    ['http-error', 403, /does not let us read this page/],
    ['http-error', 503, /answered with an error \(HTTP 503\)\. Try again later/],
    ['http-error', undefined, /^We could not connect to www\.harbordental\.example\. Check the address \(with or without "www\."\)/],
  ];
  it.each(cases)('%s (%s): a sentence with advice, never the code', (reason, status, expected) => {
    const message = unreadableWebsiteMessage(URL_, reason, status);
    expect(message).toMatch(expected);
    expect(message).toMatch(/fill in your details by hand\.$/);
    expect(message).not.toContain(reason);
  });
});
