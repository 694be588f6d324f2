/**
 * The provider operations and messages our product touches, as the providers' specs name them.
 * scripts/contracts-update.ts trims each spec to these; the contract tests check that every one
 * was exercised through the emulators.
 */

export type Operation = { spec: string; method: 'get' | 'post' | 'patch' | 'delete'; path: string };

const v2010 = '/2010-04-01/Accounts/{AccountSid}';

export const TWILIO_OPERATIONS: Operation[] = [
  { spec: 'twilio_api_v2010', method: 'get', path: `${v2010}/AvailablePhoneNumbers/{CountryCode}/Local.json` },
  { spec: 'twilio_api_v2010', method: 'post', path: `${v2010}/IncomingPhoneNumbers.json` },
  { spec: 'twilio_api_v2010', method: 'get', path: `${v2010}/IncomingPhoneNumbers/{Sid}.json` },
  { spec: 'twilio_api_v2010', method: 'delete', path: `${v2010}/IncomingPhoneNumbers/{Sid}.json` },
  { spec: 'twilio_api_v2010', method: 'post', path: `${v2010}/Messages.json` },
  { spec: 'twilio_api_v2010', method: 'get', path: `${v2010}/Messages/{Sid}.json` },
  { spec: 'twilio_trunking_v1', method: 'post', path: '/v1/Trunks' },
  { spec: 'twilio_trunking_v1', method: 'get', path: '/v1/Trunks/{Sid}' },
  { spec: 'twilio_messaging_v1', method: 'post', path: '/v1/Services' },
  { spec: 'twilio_messaging_v1', method: 'post', path: '/v1/Services/{ServiceSid}/PhoneNumbers' },
  { spec: 'twilio_messaging_v1', method: 'post', path: '/v1/a2p/BrandRegistrations' },
  { spec: 'twilio_messaging_v1', method: 'get', path: '/v1/a2p/BrandRegistrations/{Sid}' },
  { spec: 'twilio_messaging_v1', method: 'post', path: '/v1/Services/{MessagingServiceSid}/Compliance/Usa2p' },
  { spec: 'twilio_messaging_v1', method: 'get', path: '/v1/Services/{MessagingServiceSid}/Compliance/Usa2p/{Sid}' },
  { spec: 'twilio_trusthub_v1', method: 'post', path: '/v1/CustomerProfiles' },
  { spec: 'twilio_trusthub_v1', method: 'post', path: '/v1/TrustProducts' },
];

export const VAPI_OPERATIONS: Operation[] = [
  { spec: 'vapi', method: 'post', path: '/assistant' },
  { spec: 'vapi', method: 'get', path: '/assistant/{id}' },
  { spec: 'vapi', method: 'patch', path: '/assistant/{id}' },
  { spec: 'vapi', method: 'delete', path: '/assistant/{id}' },
  { spec: 'vapi', method: 'post', path: '/tool' },
  { spec: 'vapi', method: 'patch', path: '/tool/{id}' },
  { spec: 'vapi', method: 'delete', path: '/tool/{id}' },
  { spec: 'vapi', method: 'post', path: '/file' },
  { spec: 'vapi', method: 'delete', path: '/file/{id}' },
  { spec: 'vapi', method: 'post', path: '/phone-number' },
  { spec: 'vapi', method: 'delete', path: '/phone-number/{id}' },
  { spec: 'vapi', method: 'post', path: '/call' },
  { spec: 'vapi', method: 'get', path: '/call/{id}' },
  { spec: 'vapi', method: 'get', path: '/call' },
  { spec: 'vapi', method: 'delete', path: '/call/{id}' },
];

/** VAPI's server messages the emulator sends, and the answer it expects to tool-calls. */
export const VAPI_MESSAGES = {
  'status-update': 'ServerMessageStatusUpdate',
  'tool-calls': 'ServerMessageToolCalls',
  'end-of-call-report': 'ServerMessageEndOfCallReport',
} as const;
export const VAPI_SCHEMAS = [...Object.values(VAPI_MESSAGES), 'ServerMessageResponseToolCalls', 'Call', 'QueryTool', 'FunctionTool', 'CreateQueryToolDTO'];

/**
 * Stripe: no spec3.json can be had here (over the mirror's 4 MiB file limit), so each object's
 * always-present fields and each request's parameters come from the stripe package's generated
 * types (file under stripe/cjs/resources, interface name), with fixtures3.json as examples.
 */
export const STRIPE_OBJECTS: Record<string, [file: string, iface: string]> = {
  customer: ['Customers.d.ts', 'Customer'],
  price: ['Prices.d.ts', 'Price'],
  'checkout.session': ['Checkout/Sessions.d.ts', 'Session'],
  payment_intent: ['PaymentIntents.d.ts', 'PaymentIntent'],
  'billing_portal.session': ['BillingPortal/Sessions.d.ts', 'Session'],
  subscription: ['Subscriptions.d.ts', 'Subscription'],
  subscription_item: ['SubscriptionItems.d.ts', 'SubscriptionItem'],
  invoice: ['Invoices.d.ts', 'Invoice'],
  line_item: ['InvoiceLineItems.d.ts', 'InvoiceLineItem'],
  invoiceitem: ['InvoiceItems.d.ts', 'InvoiceItem'],
  event: ['Events.d.ts', 'EventBase'],
};

export type StripeOperation = { method: 'get' | 'post' | 'delete'; path: string; params?: [file: string, iface: string]; object: string };

export const STRIPE_OPERATIONS: StripeOperation[] = [
  { method: 'post', path: '/v1/customers', params: ['Customers.d.ts', 'CustomerCreateParams'], object: 'customer' },
  { method: 'get', path: '/v1/customers/{customer}', object: 'customer' },
  { method: 'get', path: '/v1/prices', params: ['Prices.d.ts', 'PriceListParams'], object: 'list:price' },
  { method: 'post', path: '/v1/checkout/sessions', params: ['Checkout/Sessions.d.ts', 'SessionCreateParams'], object: 'checkout.session' },
  { method: 'get', path: '/v1/checkout/sessions/{session}', params: ['Checkout/Sessions.d.ts', 'SessionRetrieveParams'], object: 'checkout.session' },
  { method: 'post', path: '/v1/checkout/sessions/{session}/expire', params: ['Checkout/Sessions.d.ts', 'SessionExpireParams'], object: 'checkout.session' },
  { method: 'post', path: '/v1/billing_portal/sessions', params: ['BillingPortal/Sessions.d.ts', 'SessionCreateParams'], object: 'billing_portal.session' },
  { method: 'get', path: '/v1/subscriptions/{subscription_exposed_id}', params: ['Subscriptions.d.ts', 'SubscriptionRetrieveParams'], object: 'subscription' },
  { method: 'post', path: '/v1/subscriptions/{subscription_exposed_id}', params: ['Subscriptions.d.ts', 'SubscriptionUpdateParams'], object: 'subscription' },
  { method: 'delete', path: '/v1/subscriptions/{subscription_exposed_id}', params: ['Subscriptions.d.ts', 'SubscriptionCancelParams'], object: 'subscription' },
  { method: 'post', path: '/v1/invoiceitems', params: ['InvoiceItems.d.ts', 'InvoiceItemCreateParams'], object: 'invoiceitem' },
  { method: 'post', path: '/v1/invoices', params: ['Invoices.d.ts', 'InvoiceCreateParams'], object: 'invoice' },
  { method: 'get', path: '/v1/invoices/{invoice}', object: 'invoice' },
  { method: 'post', path: '/v1/invoices/{invoice}/finalize', params: ['Invoices.d.ts', 'InvoiceFinalizeInvoiceParams'], object: 'invoice' },
  { method: 'post', path: '/v1/invoices/{invoice}/pay', params: ['Invoices.d.ts', 'InvoicePayParams'], object: 'invoice' },
];

/**
 * Twilio's webhooks are not in its OpenAPI: the parameters it documents for each
 * (https://www.twilio.com/docs/messaging/guides/webhook-request and
 * https://www.twilio.com/docs/messaging/api/message-resource#twilios-request-to-the-statuscallback-url).
 */
export const TWILIO_WEBHOOKS = {
  'sms-inbound': {
    link: 'https://www.twilio.com/docs/messaging/guides/webhook-request',
    always: ['MessageSid', 'SmsSid', 'SmsMessageSid', 'AccountSid', 'From', 'To', 'Body', 'NumMedia', 'NumSegments', 'SmsStatus', 'ApiVersion',
      'FromCity', 'FromState', 'FromZip', 'FromCountry', 'ToCity', 'ToState', 'ToZip', 'ToCountry'],
    optional: ['MessagingServiceSid'],
  },
  'sms-status': {
    link: 'https://www.twilio.com/docs/messaging/api/message-resource#twilios-request-to-the-statuscallback-url',
    always: ['MessageSid', 'SmsSid', 'MessageStatus', 'SmsStatus', 'AccountSid', 'From', 'To', 'ApiVersion'],
    optional: ['MessagingServiceSid', 'ErrorCode'],
  },
} as const;
