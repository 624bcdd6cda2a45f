// The agent registry in the console: register, search, edit, retire; viewers only read.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newPage, hydrated, signIn, ADMIN_PASSWORD } from './support.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

async function agentsPage() {
  const page = await newPage(browser);
  await signIn(page, 'admin', ADMIN_PASSWORD);
  await page.waitForURL((url) => url.pathname === '/');
  await page.getByRole('link', { name: 'Agents', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Agents' }).waitFor();
  await hydrated(page);
  return page;
}

test('register an agent, find it, edit it and retire it', { timeout: 90000 }, async () => {
  const page = await agentsPage();
  await page.locator('[data-test=register-agent]').click();
  const form = page.locator('[data-test=register-agent-form]');
  await form.getByLabel('Name').fill('e2e-support-bot');
  await form.getByLabel('Owner team').fill('Customer Support');
  await form.getByLabel('Environment').fill('production');
  await form.getByLabel('Purpose').fill('Answers customer tickets');
  await form.getByLabel('Tools').fill('crm.read, email.send');
  await form.getByLabel('Labels').fill('team=support');
  await form.getByRole('button', { name: 'Register' }).click();
  const row = page.locator('[data-test=agent-row][data-agent=e2e-support-bot]');
  await row.waitFor();
  assert.match(await row.textContent(), /crm\.read, email\.send/);
  assert.match(await row.textContent(), /team=support/);

  // A duplicate name is refused with a reason.
  await page.locator('[data-test=register-agent]').click();
  await form.getByLabel('Name').fill('e2e-support-bot');
  await form.getByLabel('Owner team').fill('Other');
  await form.getByLabel('Purpose').fill('Duplicate');
  await form.getByRole('button', { name: 'Register' }).click();
  await page.getByRole('alert').filter({ hasText: 'already exists' }).waitFor();

  // Search narrows the list without a reload.
  await page.evaluate(() => { window.__noReload = true; });
  await page.locator('[data-test=agent-search]').fill('no-such-agent');
  await page.locator('[data-test=empty-state]').waitFor();
  await page.locator('[data-test=agent-search]').fill('tickets');
  await row.waitFor();
  assert.equal(await page.evaluate(() => window.__noReload), true);

  await row.getByRole('button', { name: 'Edit' }).click();
  await row.getByLabel('Owner team').fill('Support Platform');
  await row.getByRole('button', { name: 'Save' }).click();
  await page.locator('[data-test=agent-row][data-agent=e2e-support-bot]', { hasText: 'Support Platform' }).waitFor();

  await page.locator('[data-test=agent-row][data-agent=e2e-support-bot] [data-test=retire]').click();
  await page.locator('[data-test=agent-row][data-agent=e2e-support-bot] [data-test=confirm-retire]').click();
  // Retired agents leave the default (active) view and show under Retired.
  await page.locator('[data-test=agent-row][data-agent=e2e-support-bot]').waitFor({ state: 'detached' });
  await page.locator('[data-test=agent-status-filter]').selectOption('retired');
  const retired = page.locator('[data-test=agent-row][data-agent=e2e-support-bot]');
  await retired.waitFor();
  assert.match(await retired.textContent(), /retired/);
  await page.context().close();
});
