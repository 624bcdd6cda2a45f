// The agent registry in the console: register, search, edit, retire; viewers only read.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch, newPage, hydrated, signIn, ADMIN_PASSWORD } from './support.mjs';

// Registers an agent from the console form and returns its row.
async function register(page, name, purpose) {
  await page.locator('[data-test=register-agent]').click();
  const form = page.locator('[data-test=register-agent-form]');
  await form.getByLabel('Name').fill(name);
  await form.getByLabel('Owner team').fill('Platform');
  await form.getByLabel('Purpose').fill(purpose);
  await form.getByRole('button', { name: 'Register' }).click();
  const row = page.locator(`[data-test=agent-row][data-agent=${name}]`);
  await row.waitFor();
  return row;
}

// What the agent does: its own key and CSR (openssl), exchanged for an SVID with the token.
async function enrol(page, token, name) {
  const dir = mkdtempSync(join(tmpdir(), 'warden-e2e-'));
  execFileSync('openssl', ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
    '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'csr.pem'), '-subj', `/CN=${name}`], { stdio: 'ignore' });
  const response = await fetch(new URL('/api/v1/identity/enroll', page.url()), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ join_token: token, csr: readFileSync(join(dir, 'csr.pem'), 'utf8') }),
  });
  assert.equal(response.status, 200);
  return response.json();
}

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

test('create a join token, watch the credential appear after enrolment, revoke it', { timeout: 90000 }, async () => {
  const page = await agentsPage();
  const row = await register(page, 'e2e-enrol-bot', 'Proves enrolment end to end');
  assert.match(await row.locator('[data-test=credential]').textContent(), /not enrolled/);

  await row.locator('[data-test=join-token-button]').click();
  const token = (await row.locator('[data-test=join-token]').textContent()).trim();
  assert.ok(token.length > 30, 'a join token is shown');

  const svid = await enrol(page, token, 'e2e-enrol-bot');
  assert.match(svid.spiffe_id, /^spiffe:\/\/warden\.local\/agent\//);

  await page.reload();
  await hydrated(page);
  const state = page.locator('[data-test=agent-row][data-agent=e2e-enrol-bot] [data-test=credential-state]');
  await state.waitFor();
  assert.equal(await state.textContent(), 'valid');

  await page.locator('[data-test=agent-row][data-agent=e2e-enrol-bot] [data-test=revoke]').click();
  await page.locator('[data-test=agent-row][data-agent=e2e-enrol-bot] [data-test=confirm-revoke]').click();
  await page.locator('[data-test=revoked-notice]').waitFor();
  await page.waitForFunction(() => document.querySelector('[data-agent="e2e-enrol-bot"] [data-test=credential-state]')?.textContent === 'revoked');
  await page.context().close();
});

test('see each certificate of an agent, revoke one, rotate the CA', { timeout: 90000 }, async () => {
  const page = await agentsPage();
  const row = await register(page, 'e2e-cert-bot', 'Holds two certificates');

  // Two enrolments (two join tokens): two certificates.
  const serials = [];
  let lastToken;
  for (let round = 0; round < 2; round++) {
    await row.locator('[data-test=join-token-button]').click();
    const tokenBox = row.locator('[data-test=join-token]');
    await page.waitForFunction((previous) => {
      const text = document.querySelector('[data-agent="e2e-cert-bot"] [data-test=join-token]')?.textContent?.trim();
      return text && text !== previous;
    }, lastToken);
    const token = (await tokenBox.textContent()).trim();
    lastToken = token;
    serials.push((await enrol(page, token, 'e2e-cert-bot')).serial);
  }

  // The agent's own page lists both, newest first, each valid.
  await row.locator('[data-test=agent-link]').click();
  await page.locator('[data-test=agent-name]', { hasText: 'e2e-cert-bot' }).waitFor();
  await hydrated(page);
  const certificates = page.locator('[data-test=certificate-row]');
  await certificates.first().waitFor();
  assert.equal(await certificates.count(), 2);
  assert.equal(await certificates.first().getAttribute('data-serial'), serials[1]);
  for (const serial of serials) {
    assert.equal(await page.locator(`[data-serial="${serial}"] [data-test=certificate-state]`).textContent(), 'valid');
  }

  // Revoke the older one only.
  const older = page.locator(`[data-serial="${serials[0]}"]`);
  await older.locator('[data-test=revoke-certificate]').click();
  await older.locator('[data-test=confirm-revoke-certificate]').click();
  await page.locator('[data-test=certificate-revoked]').waitFor();
  await page.waitForFunction((serial) => document.querySelector(`[data-serial="${serial}"] [data-test=certificate-state]`)?.textContent === 'revoked', serials[0]);
  assert.equal(await page.locator(`[data-serial="${serials[1]}"] [data-test=certificate-state]`).textContent(), 'valid');

  // Rotate the intermediate from Settings: a new one signs, the old one stays trusted.
  await page.getByRole('link', { name: 'Settings', exact: true }).click();
  await page.getByRole('heading', { level: 2, name: 'Agent CA' }).waitFor();
  await hydrated(page);
  const intermediates = page.locator('[data-test=ca-row][data-kind=intermediate]');
  await intermediates.first().waitFor();
  const before = await intermediates.count();
  await page.locator('[data-test=rotate-intermediate]').click();
  await page.locator('[data-test=confirm-rotate]').click();
  await page.locator('[data-test=rotated]').waitFor();
  await page.waitForFunction((count) => document.querySelectorAll('[data-test=ca-row][data-kind=intermediate]').length === count + 1, before);
  assert.equal(await page.locator('[data-test=ca-row][data-kind=intermediate][data-active=true]').count(), 1);
  assert.match(await page.locator('[data-test=ca-row][data-kind=intermediate][data-active=false]').first().textContent(), /retired, trusted/);
  await page.context().close();
});
