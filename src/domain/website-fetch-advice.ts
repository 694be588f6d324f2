import type { SafeFetchReason } from '../lib/safe-fetch.js';

const BY_HAND = 'or skip this step and fill in your details by hand';

const hostOf = (url: string) => (URL.canParse(url) ? new URL(url).host : url);

/**
 * Why a website could not be read, as a sentence an owner can act on (the reader's reason
 * codes stay in the error's details for programs). Each one ends with what to try next.
 */
export function unreadableWebsiteMessage(url: string, reason: SafeFetchReason, status?: number): string {
  const host = hostOf(url);
  switch (reason) {
    case 'invalid-url':
      return `That does not look like a website address. Check the spelling (for example www.yourpractice.com), ${BY_HAND}.`;
    case 'dns-failed':
      return `We could not find a website at ${host}. Check the spelling of the address, ${BY_HAND}.`;
    case 'blocked-address':
      return `${host} points to a private network, not a public website, so we cannot read it. Enter your public website's address, ${BY_HAND}.`;
    case 'timeout':
      return `${host} took too long to answer. Try again in a minute, try your home page's address, ${BY_HAND}.`;
    case 'too-large':
      return `That page is too large for us to read. Try your home page's address, ${BY_HAND}.`;
    case 'not-html':
      return `That address opens a file (such as a PDF or an image), not a web page. Try your home page's address, ${BY_HAND}.`;
    case 'too-many-redirects':
      return `${host} keeps sending us from one address to another. Try your home page's address, ${BY_HAND}.`;
    case 'http-error':
      if (status === 404 || status === 410) return `${host} says this page does not exist. Check the address or try your home page's address, ${BY_HAND}.`;
      if (status === 401 || status === 403) return `${host} does not let us read this page. Try your home page's address, ${BY_HAND}.`;
      if (status) return `${host} answered with an error (HTTP ${status}). Try again later, try your home page's address, ${BY_HAND}.`;
      return `We could not connect to ${host}. Check the address (with or without "www."), ${BY_HAND}.`;
  }
}
