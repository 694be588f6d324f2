/**
 * What `npm run mutate` mutates, in groups run one after another: each group's mutants run
 * only its own test files (and, per test coverage, only the tests that reach the mutant), so a
 * mutant executed while a test file loads, which Stryker must run against every test of the
 * run, costs one group's files and not the whole suite. The security and money rules:
 * secrets, sessions and signatures; outbound fetch and documents; the plan table; minutes,
 * overage and deletion; the tenancy repos.
 *
 * `runStatic`: also test static mutants (code run while a module loads: constants, schemas,
 * regexes). Each costs a fresh load and every test of its group, ~45 s for an app-building
 * group against ~5 s for any other mutant, so only the unit-tested plan table runs them; the
 * other groups' static mutants are reported as ignored and counted apart. A "hybrid" mutant
 * (run while a file builds its app and by tests) then runs only the tests that reached it,
 * which miss what the shared app was built with: `secrets` runs them all for that reason.
 */
export const GROUPS = {
  secrets: {
    mutate: [
      'src/lib/tokens.ts',
      'src/lib/cookies.ts',
      'src/lib/crypto.ts',
      'src/lib/passwords.ts',
      'src/lib/response-serializer.ts',
      'src/plugins/auth.ts',
      'src/providers/vapi/webhook.ts',
      'src/providers/twilio/webhook.ts',
    ],
    testFiles: [
      'test/secret-checks.test.ts',
      'test/crypto.test.ts',
      'test/lib/tokens-passwords.test.ts',
      'test/providers/vapi-webhook.test.ts',
      'test/plain-messages.test.ts',
      'test/lib/request-path.test.ts',
      'test/auth.test.ts',
      'test/api-keys-members.test.ts',
      'test/calls.test.ts',
      'test/refusal-order.test.ts',
      'test/openapi-documents.test.ts',
    ],
    // The session cookie's attributes and the gate marks are set while the app is built, once
    // per test file: only a run of every test of the group sees a mutant there.
    runStatic: true,
  },
  fetch: {
    mutate: ['src/lib/safe-fetch.ts', 'src/lib/document-text.ts'],
    testFiles: ['test/lib/safe-fetch.test.ts', 'test/lib/document-text.test.ts'],
  },
  plans: {
    mutate: ['src/domain/plans.ts'],
    testFiles: ['test/domain/plans.test.ts'],
    runStatic: true,
  },
  money: {
    mutate: [
      'src/modules/billing/usage.repo.ts',
      'src/modules/billing/usage.service.ts',
      'src/modules/calls/calls.repo.ts',
      'src/modules/billing/overage.service.ts',
      'src/modules/billing/overage.repo.ts',
      'src/modules/billing/account-deletion.service.ts',
    ],
    testFiles: [
      'test/calls.test.ts',
      'test/billing-overage.test.ts',
      'test/account-deletion.test.ts',
      'test/billing.test.ts',
      'test/usage-alerts.test.ts',
      // Redaction before storing (a redacting organization's report is stored only redacted).
      'test/privacy.test.ts',
    ],
  },
  tenancy: {
    mutate: [
      'src/modules/assistants/assistants.repo.ts',
      'src/modules/widget/embed-tokens.repo.ts',
      'src/modules/sms/sms.repo.ts',
      'src/modules/insights/blocked-numbers.repo.ts',
      'src/modules/insights/call-handling.repo.ts',
      'src/modules/billing/subscription.repo.ts',
      'src/modules/auth/auth.repo.ts',
    ],
    testFiles: [
      'test/isolation.test.ts',
      'test/widget.test.ts',
      'test/sms-a2p.test.ts',
      'test/insights.test.ts',
      'test/auth.test.ts',
      'test/assistants.test.ts',
      'test/billing-webhooks.test.ts',
      'test/voicemail-languages.test.ts',
      // Name and email changes (auth.repo), and an inbound SMS emitting its event once (sms.repo).
      'test/account.test.ts',
      'test/webhook-endpoints.test.ts',
    ],
  },
};
