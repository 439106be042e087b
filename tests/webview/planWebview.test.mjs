// The plan card in the chat webview bundle (out/webview/chat.js), in Debian's chromium with the extension's own HTML
// and CSP: a Plan-mode answer's checklist shows as a card with Start and Start as a Task, each posting startPlan for
// its message; once started the buttons go, the steps tick as the sidecar's updates arrive, and the plan stays in
// sight above the composer while the agent works; readable in the four themes.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { textContrast } from '../support/contrast.mjs';
import { fromHost as host, screenshots, vscodeApiShim, webviewSuite } from './harness.mjs';

const suite = webviewSuite();

const usage = { input: 900, output: 120, cacheRead: 0, cacheWrite: 0, reasoning: 0 };
const session = (over = {}) => ({
  id: 's1', slug: 'greeting-plan', title: 'Plan a greeting', instanceId: 'loopback', modelId: 'gpt-plan', mode: 'mode-plan',
  status: 'idle', usage, costUsd: null, messageCount: 2, contextWindow: 128_000, contextTokens: 900,
  createdAt: '2026-11-21T10:00:00Z', updatedAt: '2026-11-21T10:05:00Z', ...over,
});
const message = (id, role, parts, over = {}) => ({ id, sessionId: 's1', role, status: 'complete', parts, createdAt: '2026-11-21T10:00:00Z', ...over });
const items = (...done) => ['Add a greeting to notes.txt', 'Test the greeting', 'Tell the user'].map((text, i) => ({ text, done: done[i] ?? false }));
const plan = (over = {}) => ({ id: 'pl1', kind: 'plan', items: items(), ...over });
const answer = (planPart) => message('a1', 'assistant', [
  { id: 'x1', kind: 'text', text: 'notes.txt needs a greeting.\n\n- [ ] Add a greeting to notes.txt\n- [ ] Test the greeting\n- [ ] Tell the user' },
  planPart,
]);
const conversation = (planPart = plan()) => [message('u1', 'user', [{ id: 'p1', kind: 'text', text: 'Plan a greeting in notes.txt' }]), answer(planPart)];

async function openChat({ theme = 'dark', messages = conversation(), over = {} } = {}) {
  const page = await suite.browser.newPage({ viewport: { width: 800, height: 700 } });
  const errors = [];
  page.on('pageerror', error => errors.push(error.message));
  await page.addInitScript(vscodeApiShim);
  await page.goto(suite.harness.pageUrl(theme));
  await page.waitForFunction(() => window.__posted.some(m => m.type === 'ready'));
  await host(page, { type: 'init', session: session(over), messages, hasMore: false, instanceName: 'Loopback', modeName: 'Plan' });
  await page.locator('.chat-title', { hasText: 'Plan a greeting' }).waitFor();
  return { page, errors };
}

const posted = page => page.evaluate(() => window.__posted);
const card = page => page.locator('article.message-assistant').getByRole('region', { name: 'Plan' });

test('a plan card lists the steps; Start and Start as a Task post startPlan for the answer that holds it', async () => {
  const { page, errors } = await openChat();
  const plan = card(page);
  assert.deepEqual(await plan.locator('.plan-item-text').allInnerTexts(), ['Add a greeting to notes.txt', 'Test the greeting', 'Tell the user']);
  assert.equal(await plan.locator('.plan-progress').innerText(), '3 steps');
  assert.equal(await page.getByRole('region', { name: 'Plan in progress' }).isHidden(), true, 'an unstarted plan is pinned');
  await plan.getByRole('button', { name: /^Start: Agent mode/ }).click();
  assert.deepEqual((await posted(page)).at(-1), { type: 'startPlan', messageId: 'a1', asTask: false });
  await plan.getByRole('button', { name: /^Start as a task/ }).click();
  assert.deepEqual((await posted(page)).at(-1), { type: 'startPlan', messageId: 'a1', asTask: true });
  assert.deepEqual(errors, []);
  await page.close();
});

test('the checklist a plan card was made from shows once, as the card; a checklist with no card keeps its boxes and their state', async () => {
  const { page, errors } = await openChat({ messages: [
    ...conversation(),
    message('a2', 'assistant', [{ id: 'x2', kind: 'text', text: 'Done so far:\n\n- [x] Wrote the test\n- [ ] Ran it\n\nNext I run it.' }]),
  ] });
  const planned = page.locator('article.message-assistant').first();
  assert.equal(await planned.getByText('notes.txt needs a greeting.').isVisible(), true, 'the rest of the answer stays');
  assert.equal(await planned.locator('.markdown .task-list').isHidden(), true, 'the checklist is shown twice: in the text and as the card');
  assert.equal(await planned.getByText('Test the greeting').filter({ visible: true }).count(), 1, 'the step is seen once, on the card');
  const other = page.locator('article.message-assistant').nth(1);
  assert.equal(await other.locator('.task-list').isVisible(), true);
  assert.deepEqual(await other.locator('.task-box').evaluateAll(boxes => boxes.map(b => b.getAttribute('aria-label'))), ['done', 'not done'], 'a box and its state are lost');
  await page.locator('.messages').screenshot({ path: path.join(screenshots, 'plan-checklist-once-dark.png') });
  assert.deepEqual(errors, []);
  await page.close();
});

test('a started plan loses its buttons, ticks its steps as updates arrive, and stays above the composer while the agent works', async () => {
  const { page, errors } = await openChat();
  await host(page, { type: 'busy', busy: true });
  await host(page, { type: 'message', message: answer(plan({ startedMode: 'mode-agent' })) });
  const plan0 = card(page);
  assert.equal(await plan0.getByRole('button').count(), 0, 'a started plan still offers Start');
  assert.equal(await plan0.locator('.plan-progress').innerText(), '0 of 3 done');
  const pinned = page.getByRole('region', { name: 'Plan in progress' });
  await pinned.waitFor();
  // The agent reports step 1 done: the sidecar tells the answer again.
  await host(page, { type: 'message', message: answer(plan({ startedMode: 'mode-agent', items: items(true) })) });
  assert.equal(await plan0.locator('.plan-progress').innerText(), '1 of 3 done');
  assert.deepEqual(await plan0.locator('.plan-item').evaluateAll(rows => rows.map(r => r.classList.contains('plan-item-done'))), [true, false, false]);
  assert.equal(await plan0.locator('.plan-item').first().getAttribute('aria-label'), 'Add a greeting to notes.txt, done');
  assert.equal(await pinned.locator('.plan-progress').innerText(), '1 of 3 done');
  assert.equal(await pinned.locator('.plan-item-done').count(), 1);
  // Every step done and the turn over: the card keeps the record, the bar goes.
  await host(page, { type: 'message', message: answer(plan({ startedMode: 'mode-agent', items: items(true, true, true) })) });
  await host(page, { type: 'busy', busy: false });
  assert.equal(await pinned.isHidden(), true);
  assert.equal(await plan0.locator('.plan-progress').innerText(), '3 of 3 done');
  assert.deepEqual(errors, []);
  await page.close();
});

test('the plan card un-pins when done: every step ticked, or the turn over with a step left; a later turn does not pin it again', async () => {
  const { page, errors } = await openChat();
  const pinned = page.getByRole('region', { name: 'Plan in progress' });
  await host(page, { type: 'busy', busy: true });
  await host(page, { type: 'message', message: answer(plan({ startedMode: 'mode-agent', items: items(true) })) });
  await pinned.waitFor();
  // The turn ends with a step left: the plan is no longer being carried out, so it leaves the composer's side.
  await host(page, { type: 'busy', busy: false });
  assert.equal(await pinned.isHidden(), true, 'a plan whose turn is over stays pinned above the composer');
  // Started again, the last steps ticked while the agent still writes its report: done, so the bar goes at once.
  await host(page, { type: 'busy', busy: true });
  await pinned.waitFor();
  await host(page, { type: 'message', message: answer(plan({ startedMode: 'mode-agent', items: items(true, true, true) })) });
  assert.equal(await pinned.isHidden(), true, 'a plan with every step done stays pinned while the chat answers');
  await host(page, { type: 'busy', busy: false });
  await host(page, { type: 'busy', busy: true });
  assert.equal(await pinned.isHidden(), true, 'a done plan is pinned again by the next turn');
  assert.equal(await card(page).locator('.plan-progress').innerText(), '3 of 3 done', 'the card lost its record');
  assert.deepEqual(errors, []);
  await page.close();
});

for (const theme of ['dark', 'light', 'hcDark', 'hcLight']) {
  test(`the plan card and its bar are readable in the ${theme} theme`, async () => {
    const { page } = await openChat({ theme });
    const start = card(page).getByRole('button', { name: /^Start: Agent mode/ });
    const contrasts = async selectors => Promise.all(selectors.map(async ([name, locator]) => ({ name, ...await locator.evaluate(textContrast) })));
    const unstarted = await contrasts([
      ['step', card(page).locator('.plan-item-text').first()], ['progress', card(page).locator('.plan-progress')],
      ['Start', start], ['Start as a Task', card(page).getByRole('button', { name: /^Start as a task/ })],
    ]);
    await card(page).screenshot({ path: path.join(screenshots, `plan-card-${theme}.png`) });
    await host(page, { type: 'busy', busy: true });
    await host(page, { type: 'message', message: answer(plan({ startedMode: 'mode-agent', items: items(true) })) });
    const pinned = page.getByRole('region', { name: 'Plan in progress' });
    await pinned.waitFor();
    const started = await contrasts([['ticked step', pinned.locator('.plan-item-done .plan-item-text')], ['open step', pinned.locator('.plan-item:not(.plan-item-done) .plan-item-text').first()]]);
    await page.screenshot({ path: path.join(screenshots, `plan-bar-${theme}.png`) });
    for (const { name, ratio, color } of [...unstarted, ...started]) {
      assert.ok(ratio >= 4.5, `${name} has a contrast of ${ratio}:1 (${color}) in ${theme}`);
    }
    const tick = await pinned.locator('.plan-item-done .codicon').evaluate(e => getComputedStyle(e).color);
    const open = await pinned.locator('.plan-item:not(.plan-item-done) .codicon').first().evaluate(e => getComputedStyle(e).color);
    assert.notEqual(tick, open, `a ticked step looks like an open one in ${theme}`);
    await page.close();
  });
}
