// The audit trail in the console: a real enforcer's decisions, searched by agent and decision,
// one opened, its inclusion proof checked in the browser against the signed checkpoint.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { launch, newPage, hydrated, signIn, ADMIN_PASSWORD } from './support.mjs';

const run = promisify(execFile);
const ENFORCER_BIN = process.env.E2E_ENFORCER_BIN ?? '../target/debug/warden-enforcer';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

async function api(page, method, path, data) {
  const me = await (await page.request.get('/api/v1/me')).json();
  const response = await page.request.fetch(path, {
    method,
    headers: { 'x-csrf-token': me.csrf_token },
    data,
  });
  assert.ok(response.ok(), `${method} ${path}: ${response.status()} ${await response.text()}`);
  return response.json();
}

test('search decisions by agent and outcome, open one, see its proof verify', { timeout: 120000 }, async () => {
  const page = await newPage(browser);
  await signIn(page, 'admin', ADMIN_PASSWORD);
  await page.waitForURL((url) => url.pathname === '/');

  // An agent with no grant: the enforcer denies what it asks for.
  const agent = await api(page, 'POST', '/api/v1/agents', {
    name: 'e2e-audited-bot', owner_team: 'Research', purpose: 'Summarises papers', environment: 'staging',
  });
  // The real enforcer decides a handful of checks for it over NATS.
  await run(ENFORCER_BIN, ['bench', 'nats', '--agent', agent.id, '--rate', '20', '--duration', '1'], {
    env: { ...process.env, RUST_LOG: 'warn' },
  });
  // Wait until the control plane has logged and indexed them, and a checkpoint covers them.
  const deadline = Date.now() + 30000;
  for (;;) {
    const found = await api(page, 'GET', '/api/v1/audit/events?agent=e2e-audited-bot&decision=denied&limit=1');
    const checkpoint = await page.request.get('/api/v1/audit/checkpoints/latest');
    if (found.total > 0 && checkpoint.ok() && (await checkpoint.json()).size > found.events[0].seq) break;
    assert.ok(Date.now() < deadline, 'the decisions never reached the audit trail');
    await new Promise((resolve) => setTimeout(resolve, 250));
  }

  await page.getByRole('link', { name: 'Audit', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Audit' }).waitFor();
  await hydrated(page);
  await page.locator('[data-test=audit-agent]').fill('e2e-audited-bot');
  await page.locator('[data-test=audit-decision]').selectOption('denied');
  const rows = page.locator('[data-test=audit-event]');
  await page.waitForFunction(() => {
    const cells = [...document.querySelectorAll('[data-test=audit-event] [data-test=audit-event-decision]')];
    return cells.length > 0 && cells.every((cell) => cell.textContent === 'denied');
  });
  assert.match(await page.locator('[data-test=audit-total]').textContent(), /of \d+ events/);
  assert.match(await page.locator('[data-test=facet-decision]').textContent(), /denied/);

  // Open the newest; the browser recomputes the leaf hash and walks the audit path to the root.
  await rows.first().click();
  const detail = page.locator('[data-test=audit-event-detail]');
  await detail.waitFor();
  assert.match(await detail.textContent(), /e2e-audited-bot/);
  await detail.locator('[data-test=proof-verified]').waitFor();
  assert.match(await detail.locator('[data-test=proof-verified]').textContent(), /signed checkpoint \d+/);
  assert.match(await detail.locator('[data-test=checkpoint-note]').textContent(), /\/audit\n\d+\n/);
});
