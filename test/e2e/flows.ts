import type { Page } from 'playwright-core';

/** Creates an account at /register; a new account lands in the setup wizard. */
export async function signUp(page: Page, who: { name: string; business: string; email: string; password?: string }) {
  await page.goto('/register');
  await page.getByLabel('Your name').fill(who.name);
  await page.getByLabel('Business name').fill(who.business);
  await page.getByLabel('Email', { exact: true }).fill(who.email);
  await page.getByLabel('Password', { exact: true }).fill(who.password ?? 'securepass123');
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForURL('**/onboarding');
}

/** From the Billing page: pays on the Stripe emulator's checkout page and is back on Billing with the plan active. */
export async function upgradeThroughCheckout(page: Page, planLabel: string) {
  await page.getByRole('button', { name: `Upgrade to ${planLabel}` }).click();
  await page.waitForURL('**/sandbox/stripe/checkout/**');
  await page.getByRole('button', { name: /^Pay/ }).click();
  await page.waitForURL('**/dashboard/billing?checkout=success*');
  await page.getByText(`Payment received: you are now on the ${planLabel} plan.`).waitFor();
  await page.getByRole('heading', { name: `${planLabel} plan` }).waitFor();
}
