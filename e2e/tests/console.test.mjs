// The console end to end: sign-in, hydration, the live fleet, user management, roles, sign-out.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newPage, hydrated, signIn, ADMIN_PASSWORD } from './support.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const AUDITOR = { username: 'e2e-auditor', password: 'auditor-password-123' };

test('a wrong password is rejected and the user stays on the login page', { timeout: 60000 }, async () => {
  const page = await newPage(browser);
  await signIn(page, 'admin', 'definitely-not-the-password');
  await page.getByRole('alert').filter({ hasText: 'Wrong username or password.' }).waitFor();
  assert.equal(new URL(page.url()).pathname, '/login');
  const cookies = await page.context().cookies();
  assert.ok(!cookies.some((cookie) => cookie.name === 'warden_session'), 'no session cookie after a failed sign-in');
  await page.context().close();
});

test('pages behind sign-in redirect to the login page', { timeout: 60000 }, async () => {
  const page = await newPage(browser);
  await page.goto('/enforcers');
  await page.waitForURL('**/login');
  await page.context().close();
});

test('the admin signs in, sees their role and the live enforcer', { timeout: 60000 }, async () => {
  const page = await newPage(browser);
  await signIn(page, 'admin', ADMIN_PASSWORD);
  await page.waitForURL((url) => url.pathname === '/');
  const whoami = page.locator('[data-test=whoami]');
  await whoami.getByText('Administrator').waitFor();
  assert.equal(await page.locator('[data-test=role]').textContent(), 'Admin');
  const session = (await page.context().cookies()).find((cookie) => cookie.name === 'warden_session');
  assert.ok(session, 'session cookie set');
  assert.equal(session.httpOnly, true);
  assert.equal(session.secure, true);
  assert.equal(session.sameSite, 'Strict');

  // Every area is reachable from the navigation and shows an honest state.
  for (const area of ['Policies', 'Budgets', 'Compliance', 'Incidents']) {
    await page.getByRole('navigation', { name: 'Areas' }).getByRole('link', { name: area, exact: true }).click();
    await page.getByRole('heading', { level: 1, name: area }).waitFor();
    await page.locator('[data-test=empty-state]').waitFor();
  }
  // The audit trail is never empty once someone has signed in.
  await page.getByRole('navigation', { name: 'Areas' }).getByRole('link', { name: 'Audit', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Audit' }).waitFor();
  await page.locator('[data-test=audit-event]').first().waitFor();

  await page.getByRole('link', { name: 'Enforcers', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Enforcers' }).waitFor();
  const row = page.locator('[data-test=enforcer-row]').first();
  await row.waitFor();
  assert.match(await row.textContent(), /live/);
  await page.context().close();
});

test('the console is hydrated: controls change the page without a reload', { timeout: 60000 }, async () => {
  const page = await newPage(browser);
  await signIn(page, 'admin', ADMIN_PASSWORD);
  await page.waitForURL((url) => url.pathname === '/');
  await page.goto('/enforcers');
  await hydrated(page);
  await page.locator('[data-test=enforcer-row]').first().waitFor();
  // A marker on window survives only if the page is never reloaded.
  await page.evaluate(() => { window.__noReload = 'still here'; });
  const hint = page.locator('[data-test=stale-hint]');
  assert.match(await hint.textContent(), /hidden/);
  await page.locator('[data-test=show-stale]').check();
  await page.waitForFunction(() => document.querySelector('[data-test=stale-hint]').textContent.includes('Showing all'));
  const layout = page.locator('.layout');
  await page.locator('[data-test=nav-toggle]').click();
  await page.waitForFunction(() => document.querySelector('.layout').classList.contains('nav-collapsed'));
  assert.equal(await layout.getAttribute('class').then((c) => c.includes('nav-collapsed')), true);
  assert.equal(await page.evaluate(() => window.__noReload), 'still here');
  await page.context().close();
});

test('an admin creates an auditor, who can read users but is denied every write', { timeout: 60000 }, async () => {
  const admin = await newPage(browser);
  await signIn(admin, 'admin', ADMIN_PASSWORD);
  await admin.waitForURL((url) => url.pathname === '/');
  await admin.getByRole('link', { name: 'Settings', exact: true }).click();
  await admin.locator('[data-test=users]').waitFor();
  await admin.locator('[data-test=new-user]').click();
  const form = admin.locator('[data-test=create-user-form]');
  await form.getByLabel('Username').fill(AUDITOR.username);
  await form.getByLabel('Display name').fill('E2E Auditor');
  await form.getByLabel('Role').selectOption('auditor');
  await form.getByLabel('Initial password').fill(AUDITOR.password);
  await form.getByRole('button', { name: 'Create user' }).click();
  await admin.locator(`[data-test=user-row][data-username=${AUDITOR.username}]`).waitFor();
  await admin.context().close();

  const page = await newPage(browser);
  await signIn(page, AUDITOR.username, AUDITOR.password);
  await page.waitForURL((url) => url.pathname === '/');
  assert.equal(await page.locator('[data-test=role]').textContent(), 'Auditor');
  await page.getByRole('link', { name: 'Settings', exact: true }).click();
  await page.locator('[data-test=users]').waitFor();
  // Read-only: no create button, no per-row actions.
  assert.equal(await page.locator('[data-test=new-user]').count(), 0);
  assert.equal(await page.getByRole('button', { name: 'Disable' }).count(), 0);

  // The server refuses writes even when the auditor crafts them by hand.
  const denied = await page.evaluate(async () => {
    const body = new URLSearchParams({ username: 'sneaky', display_name: '', role: 'admin', password: 'sneaky-password-123' });
    const viaConsole = await fetch('/console/fn/create_user', { method: 'POST', body });
    const me = await (await fetch('/api/v1/me')).json();
    const viaApi = await fetch('/api/v1/users', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrf_token },
      body: JSON.stringify({ username: 'sneaky', role: 'admin', password: 'sneaky-password-123' }),
    });
    return { console: viaConsole.status, api: viaApi.status, apiBody: await viaApi.json() };
  });
  assert.equal(denied.console, 403);
  assert.equal(denied.api, 403);
  assert.equal(denied.apiBody.error.code, 'forbidden');
  await page.context().close();
});

test('signing out ends the session', { timeout: 60000 }, async () => {
  const page = await newPage(browser);
  await signIn(page, 'admin', ADMIN_PASSWORD);
  await page.waitForURL((url) => url.pathname === '/');
  const cookieBefore = (await page.context().cookies()).find((cookie) => cookie.name === 'warden_session');
  await page.locator('[data-test=logout]').click();
  await page.waitForURL('**/login');
  // The old session id is dead on the server, not just forgotten by the browser.
  const status = await page.evaluate(async () => (await fetch('/api/v1/me')).status);
  assert.equal(status, 401);
  const replay = await page.context().request.get('/api/v1/me', { headers: { cookie: `warden_session=${cookieBefore.value}` } });
  assert.equal(replay.status(), 401);
  await page.goto('/');
  await page.waitForURL('**/login');
  await page.context().close();
});
