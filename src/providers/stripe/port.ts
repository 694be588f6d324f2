/** Stripe in our own vocabulary (placeholder: filled in by the Providers work). */
export interface StripeProvider {}
