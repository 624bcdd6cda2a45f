// Policy as code in the console: write a grant, see its Rego, try it, publish it, see drift.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newPage, hydrated, signIn, ADMIN_PASSWORD } from './support.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

async function open(page, link, heading) {
  await page.getByRole('link', { name: link, exact: true }).click();
  await page.getByRole('heading', { level: 1, name: heading }).waitFor();
  await hydrated(page);
}

test('write a grant, see its Rego, try it, publish it, see the drift report', { timeout: 120000 }, async () => {
  const page = await newPage(browser);
  await signIn(page, 'admin', ADMIN_PASSWORD);
  await page.waitForURL((url) => url.pathname === '/');

  // An agent that declares crm.read and email.send.
  await open(page, 'Agents', 'Agents');
  await page.locator('[data-test=register-agent]').click();
  const form = page.locator('[data-test=register-agent-form]');
  await form.getByLabel('Name').fill('e2e-policy-bot');
  await form.getByLabel('Owner team').fill('Support');
  await form.getByLabel('Purpose').fill('Reads customer records');
  await form.getByLabel('Tools').fill('crm.read, email.send');
  await form.getByLabel('Resources').fill('customers/*');
  await form.getByLabel('Labels').fill('team=support');
  await form.getByRole('button', { name: 'Register' }).click();
  await page.locator('[data-test=agent-row][data-agent=e2e-policy-bot]').waitFor();

  // Write the grant.
  await open(page, 'Policies', 'Policies');
  await page.locator('[data-test=new-grant]').click();
  const grant = page.locator('[data-test=grant-form]');
  await grant.getByLabel('Id').fill('support-crm-read');
  await grant.getByLabel('Agents labelled').fill('team=support');
  await grant.getByLabel('Actions').fill('tool_call');
  await grant.getByLabel('Tools').fill('crm.read');
  await grant.getByLabel('Resources').fill('customers/*');
  await grant.getByLabel('At most per day').fill('500');
  await grant.getByLabel('Mask in responses').fill('pii');
  await grant.getByRole('button', { name: 'Save grant' }).click();
  const row = page.locator('[data-test=grant-row][data-grant=support-crm-read]');
  await row.waitFor();
  const sentence = await row.locator('[data-test=grant-sentence]').textContent();
  assert.match(sentence, /crm\.read/);
  assert.match(sentence, /500/);

  // Its generated Rego tests, and the compiled draft passing every test.
  await row.locator('[data-test=show-grant-tests]').click();
  assert.match(await row.locator('[data-test=grant-tests]').textContent(), /test_/);
  await page.locator('[data-test=check-draft]').click();
  const result = page.locator('[data-test=check-result][data-ok=true]');
  await result.waitFor();
  assert.match(await page.locator('[data-test=compiled-rego]').textContent(), /package warden\.authz/);
  assert.match(await page.locator('[data-test=compiled-data]').textContent(), /support-crm-read/);

  // A broken custom module is reported at its line and column, without saving it.
  await page.locator('[data-test=module-rego]').fill('package warden.custom.rules\n\nimport rego.v1\n\ndeny contains "x" if {\n  input.action.kind ==\n}\n');
  await page.locator('[data-test=check-module]').click();
  const problem = page.locator('[data-test=rego-problem]').first();
  await problem.waitFor();
  assert.ok(Number(await problem.getAttribute('data-line')) >= 6, await problem.textContent());
  assert.match(await problem.textContent(), /custom\/rules\.rego:\d+:\d+/);

  // Try it: allowed, then denied with reasons.
  const tryForm = page.locator('[data-test=try-form]');
  await tryForm.locator('[data-test=try-agent]').selectOption({ label: 'e2e-policy-bot' });
  await tryForm.getByLabel('Tool', { exact: true }).fill('crm.read');
  await tryForm.getByLabel('Resource', { exact: true }).fill('customers/42');
  await tryForm.getByRole('button', { name: 'Try it' }).click();
  await page.locator('[data-test=decision][data-allow=true]').waitFor();
  await tryForm.getByLabel('Tool', { exact: true }).fill('crm.delete');
  await tryForm.getByRole('button', { name: 'Try it' }).click();
  await page.locator('[data-test=decision][data-allow=false]').waitFor();
  assert.ok(await page.locator('[data-test=decision] [data-test=reason]').count() > 0);

  // Publish.
  await page.locator('[data-test=publish-form]').getByLabel('What changed and why').fill('support reads the CRM');
  await page.locator('[data-test=publish]').click();
  await page.locator('[data-test=version-row][data-status=published]').first().waitFor();
  await page.locator('[data-test=version-row] [data-test=show-diff]').first().click();
  assert.match(await page.locator('[data-test=diff]').textContent(), /\+grant support-crm-read/);

  // The agent's page shows the drift report: crm.read effective, email.send broken.
  await open(page, 'Agents', 'Agents');
  await page.locator('[data-test=agent-row][data-agent=e2e-policy-bot] [data-test=agent-link]').click();
  await page.locator('[data-test=agent-name]', { hasText: 'e2e-policy-bot' }).waitFor();
  await hydrated(page);
  const deadline = Date.now() + 15000;
  while (await page.locator('[data-test=drift]').count() === 0) {
    assert.ok(Date.now() < deadline, 'no drift report appeared');
    await page.waitForTimeout(300);
    await page.reload();
    await hydrated(page);
  }
  await page.locator('[data-test=effective] [data-value="crm.read"]').waitFor();
  await page.locator('[data-test=broken] [data-value="email.send"]').waitFor();
  await page.context().close();
});
