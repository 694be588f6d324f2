import { StripeApiError } from './errors.js';

/**
 * Stripe's documented test cards (docs.stripe.com/testing) that the sandbox's hosted pages
 * accept, and how each behaves, as on Stripe:
 * - `succeeds`: attaches and every charge goes through;
 * - `declines`: refused at once, whether charged or saved (the page shows the decline);
 * - `charges_fail`: attaches to the customer, but every charge on it is declined
 *   (4000 0000 0000 0341, the way to rehearse a failed subscription payment).
 */
export interface TestCard {
  brand: 'visa' | 'mastercard';
  last4: string;
  behaviour: 'succeeds' | 'declines' | 'charges_fail';
  /** Stripe's decline_code and message when it is declined. */
  declineCode: string;
  declineMessage: string;
}

const GENERIC = { declineCode: 'generic_decline', declineMessage: 'Your card was declined.' };

export const TEST_CARDS: Readonly<Record<string, TestCard>> = {
  '4242424242424242': { brand: 'visa', last4: '4242', behaviour: 'succeeds', ...GENERIC },
  '5555555555554444': { brand: 'mastercard', last4: '4444', behaviour: 'succeeds', ...GENERIC },
  '4000000000000002': { brand: 'visa', last4: '0002', behaviour: 'declines', ...GENERIC },
  '4000000000009995': { brand: 'visa', last4: '9995', behaviour: 'declines', declineCode: 'insufficient_funds', declineMessage: 'Your card has insufficient funds.' },
  '4000000000000341': { brand: 'visa', last4: '0341', behaviour: 'charges_fail', ...GENERIC },
};

const DEFAULT_TEST_CARD = '4242424242424242';

/** The test card a typed number names (spaces and dashes ignored), if it is one. */
export const testCard = (typed: string | undefined): TestCard | undefined => TEST_CARDS[(typed ?? DEFAULT_TEST_CARD).replace(/[\s-]/g, '')];

/** The saved card a charge goes to, found again by its last four digits (unique among the test cards). */
export const cardOfLast4 = (last4: string | undefined) => Object.values(TEST_CARDS).find((card) => card.last4 === last4);

/** What the API answers to a declined charge (HTTP 402 card_error). */
export const cardDeclined = (card: Pick<TestCard, 'declineCode' | 'declineMessage'> = GENERIC) =>
  new StripeApiError(402, {
    type: 'card_error',
    code: 'card_declined',
    decline_code: card.declineCode,
    message: card.declineMessage,
    doc_url: 'https://stripe.com/docs/error-codes/card-declined',
  });

/** How the hosted pages list the cards they take. */
export const CARD_HINT =
  '4242 4242 4242 4242 pays. 4000 0000 0000 0002 is declined at once. 4000 0000 0000 0341 is saved, then every charge on it is declined.';
