// A tool call the sandbox stopped, in the chat webview bundle (out/webview/chat.js) in Debian's chromium with the
// extension's own HTML and CSP: its card shows what was denied (the path written outside, the host refused) without
// opening the result, with "Allow this once" and "Always for this workspace", each posting allowSandbox for its result
// part; once run again the card says how it was let through, no longer as a warning, and offers nothing more; readable
// in the four themes.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { textContrast } from '../support/contrast.mjs';
import { fromHost as host, screenshots, vscodeApiShim, webviewSuite } from './harness.mjs';

const suite = webviewSuite();

const usage = { input: 900, output: 120, cacheRead: 0, cacheWrite: 0, reasoning: 0 };
const session = { id: 's1', slug: 'sandboxed', title: 'Write a report', instanceId: 'loopback', modelId: 'gpt-sandbox', mode: 'mode-agent',
  status: 'idle', usage, costUsd: null, messageCount: 2, contextWindow: 128_000, contextTokens: 900, createdAt: '2026-11-21T10:00:00Z', updatedAt: '2026-11-21T10:05:00Z' };
const message = (id, role, parts) => ({ id, sessionId: 's1', role, status: 'complete', parts, createdAt: '2026-11-21T10:00:00Z' });
const denials = [{ kind: 'path', what: '/srv/reports/out.txt' }, { kind: 'host', what: 'example.com:443' }];
const result = (over = {}) => ({ id: 'r1', kind: 'tool_result', toolCallId: 'c1', name: 'bash', isError: false,
  output: "bash: /srv/reports/out.txt: Read-only file system\n[exit code 1]", sandboxDenials: denials, sandboxPolicy: 'Workspace write (home hidden, no network)', ...over });
const answer = (part) => message('a1', 'assistant', [
  { id: 'c1p', kind: 'tool_use', toolCallId: 'c1', name: 'bash', input: { command: 'echo done > /srv/reports/out.txt; curl https://example.com' }, state: 'completed' },
  part,
]);

async function openChat(theme = 'dark', part = result()) {
  const page = await suite.browser.newPage({ viewport: { width: 800, height: 700 } });
  const errors = [];
  page.on('pageerror', error => errors.push(error.message));
  await page.addInitScript(vscodeApiShim);
  await page.goto(suite.harness.pageUrl(theme));
  await page.waitForFunction(() => window.__posted.some(m => m.type === 'ready'));
  await host(page, { type: 'init', session, messages: [message('u1', 'user', [{ id: 'p1', kind: 'text', text: 'Write the report' }]), answer(part)], hasMore: false, instanceName: 'Loopback', modeName: 'Agent' });
  await page.locator('.chat-title', { hasText: 'Write a report' }).waitFor();
  return { page, errors };
}

const posted = page => page.evaluate(() => window.__posted);
const card = page => page.getByRole('region', { name: 'Sandbox denied' });

test('a denied call shows what was denied with Allow this once and Always for this workspace, each posting allowSandbox for its result', async () => {
  let { page, errors } = await openChat();
  assert.match(await card(page).locator('.sandbox-title').innerText(), /^The sandbox denied this call: Workspace write \(.*\)$/);
  assert.deepEqual(await card(page).locator('.sandbox-denials li').allInnerTexts(),
    ['Writing /srv/reports/out.txt (outside the workspace)', 'Connecting to example.com:443']);
  await card(page).getByRole('button', { name: /^Allow this once/ }).click();
  assert.deepEqual((await posted(page)).at(-1), { type: 'allowSandbox', partId: 'r1', always: false });
  assert.equal(await card(page).getByRole('button', { name: /^Always for this workspace/ }).isDisabled(), true, 'one answer is sent');
  await page.close();
  ({ page } = await openChat());
  await card(page).getByRole('button', { name: /^Always for this workspace/ }).click();
  assert.deepEqual((await posted(page)).at(-1), { type: 'allowSandbox', partId: 'r1', always: true });
  // Run again: the sidecar's update replaces the part; the card says so and offers nothing more.
  await host(page, { type: 'message', message: answer(result({ sandboxDenials: undefined, sandboxAllowed: 'workspace', output: 'done\n[exit code 0]' })) });
  const allowed = page.getByRole('region', { name: 'Sandbox allowed' });
  await allowed.waitFor();
  assert.equal(await allowed.locator('.sandbox-title').innerText(), 'Run again, allowed always for this workspace');
  assert.equal(await allowed.getByRole('button').count(), 0);
  // No longer a warning: the border is the panel's (the harness's dark #2b2b2b), not the warning's (#b89500).
  assert.equal(await allowed.evaluate(e => getComputedStyle(e).borderTopColor), 'rgb(43, 43, 43)', 'a call let through still looks like a warning');
  assert.deepEqual(errors, []);
  await page.close();
});

for (const theme of ['dark', 'light', 'hcDark', 'hcLight']) {
  test(`the sandbox denial card is readable in the ${theme} theme`, async () => {
    const { page } = await openChat(theme);
    const contrasts = await Promise.all([
      ['title', card(page).locator('.sandbox-title')], ['denial', card(page).locator('.sandbox-denials li').first()],
      ['Allow this once', card(page).getByRole('button', { name: /^Allow this once/ })],
      ['Always for this workspace', card(page).getByRole('button', { name: /^Always for this workspace/ })],
    ].map(async ([name, locator]) => ({ name, ...await locator.evaluate(textContrast) })));
    await card(page).screenshot({ path: path.join(screenshots, `sandbox-card-${theme}.png`) });
    for (const { name, ratio, color } of contrasts) {
      assert.ok(ratio >= 4.5, `${name} has a contrast of ${ratio}:1 (${color}) in ${theme}`);
    }
    await page.close();
  });
}

// Item 5 of the trust work: an agent hook's sandbox denial is the same card (posting allowSandbox for the hook's part),
// and a hosted agent's call (a result with no Plue tool name) says how it was let through without "Run again".
test('agentDenialCards: a hook the sandbox denied shows the denial card beside its notice; a hosted agent\'s allowed result is not "run again"', async () => {
  const hook = { id: 'h1', kind: 'hook', event: 'UserPromptSubmit', command: 'curl https://example.com', outcome: 'sandbox',
    text: 'The sandbox denied the hook: connecting to example.com:443.', sandboxDenials: [{ kind: 'host', what: 'example.com:443' }], sandboxPolicy: 'Example only' };
  let { page, errors } = await openChat('dark', hook);
  assert.equal(await card(page).locator('.sandbox-title').innerText(), 'The sandbox denied the UserPromptSubmit hook: Example only');
  assert.deepEqual(await card(page).locator('.sandbox-denials li').allInnerTexts(), ['Connecting to example.com:443']);
  await card(page).getByRole('button', { name: /^Allow this once/ }).click();
  assert.deepEqual((await posted(page)).at(-1), { type: 'allowSandbox', partId: 'h1', always: false });
  await host(page, { type: 'message', message: answer({ ...hook, sandboxDenials: undefined, sandboxAllowed: 'once' }) });
  await page.getByRole('region', { name: 'Sandbox allowed' }).waitFor();
  assert.equal(await page.getByRole('region', { name: 'Sandbox allowed' }).locator('.sandbox-title').innerText(), 'Allowed once, for the next hooks here');
  assert.deepEqual(errors, []);
  await page.close();
  ({ page, errors } = await openChat('dark', result({ name: undefined, sandboxDenials: undefined, sandboxAllowed: 'once' })));
  assert.equal(await page.getByRole('region', { name: 'Sandbox allowed' }).locator('.sandbox-title').innerText(), 'Allowed for this agent until it restarts');
  assert.deepEqual(errors, []);
  await page.close();
});

// Item 8: the first command that ran without a sandbox carries its card: why, and the exact commands where known.
for (const theme of ['dark', 'light', 'hcDark', 'hcLight']) {
  test(`unconfinedCard: the card of a command run without a sandbox is readable in the ${theme} theme`, async () => {
    const { page, errors } = await openChat(theme, result({ sandboxDenials: undefined, sandboxPolicy: undefined, output: 'done',
      unconfined: 'Bubblewrap cannot make a sandbox on this machine (bwrap: setting up uid map: Permission denied): AppArmor keeps programs from making user namespaces (Ubuntu 23.10 and later), so commands the agent runs are not sandboxed. Let bwrap alone make them with an AppArmor profile (`plue status` prints the commands) and reload the window.',
      unconfinedFix: "sudo tee /etc/apparmor.d/bwrap > /dev/null <<'EOF'\nprofile bwrap /usr/bin/bwrap flags=(unconfined) {\n  userns,\n}\nEOF\nsudo apparmor_parser -r /etc/apparmor.d/bwrap" }));
    const unconfined = page.getByRole('region', { name: 'Not sandboxed' });
    assert.equal(await unconfined.locator('.sandbox-title').innerText(), 'This command ran without a sandbox, with your full access');
    assert.match(await unconfined.locator('pre code').innerText(), /sudo apparmor_parser -r \/etc\/apparmor\.d\/bwrap$/);
    // A command inside the sentence is shown as code, not between raw backticks.
    assert.equal(await unconfined.locator('.unconfined-why code').innerText(), 'plue status');
    assert.doesNotMatch(await unconfined.locator('.unconfined-why').innerText(), /`/);
    const contrasts = await Promise.all([['title', unconfined.locator('.sandbox-title')], ['why', unconfined.locator('.unconfined-why')], ['fix', unconfined.locator('pre code')]]
      .map(async ([name, locator]) => ({ name, ...await locator.evaluate(textContrast) })));
    await unconfined.screenshot({ path: path.join(screenshots, `unconfined-card-webview-${theme}.png`) });
    for (const { name, ratio, color } of contrasts) assert.ok(ratio >= 4.5, `${name} has a contrast of ${ratio}:1 (${color}) in ${theme}`);
    assert.deepEqual(errors, []);
    await page.close();
  });
}
