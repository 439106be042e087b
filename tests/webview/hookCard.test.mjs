// A hook that blocked a tool call, in the chat webview bundle (out/webview/chat.js) in Debian's chromium with the
// extension's own HTML and CSP: its card leads with the hook's reason (the first line of what it said), not its
// command, which shows under what it said once opened; a hook that said nothing is named by its command. Readable in
// the four themes.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { fromHost as host, screenshots, vscodeApiShim, webviewSuite } from './harness.mjs';

const suite = webviewSuite();

const usage = { input: 900, output: 120, cacheRead: 0, cacheWrite: 0, reasoning: 0 };
const session = { id: 's1', slug: 'hooked', title: 'Tidy the repo', instanceId: 'loopback', modelId: 'gpt-hook', mode: 'mode-agent',
  status: 'idle', usage, costUsd: null, messageCount: 2, contextWindow: 128_000, contextTokens: 900, createdAt: '2026-11-21T10:00:00Z', updatedAt: '2026-11-21T10:05:00Z' };
const message = (id, role, parts) => ({ id, sessionId: 's1', role, status: 'complete', parts, createdAt: '2026-11-21T10:00:00Z' });
const hook = (over = {}) => ({ id: 'h1', kind: 'hook', event: 'PreToolUse', command: 'node .claude/hooks/guard-rm.js --strict', outcome: 'blocked',
  text: 'rm -rf is not allowed in this repository: delete files one by one\n(policy: guard-rm)', ...over });

async function openChat(theme, part) {
  const page = await suite.browser.newPage({ viewport: { width: 800, height: 500 } });
  const errors = [];
  page.on('pageerror', error => errors.push(error.message));
  await page.addInitScript(vscodeApiShim);
  await page.goto(suite.harness.pageUrl(theme));
  await page.waitForFunction(() => window.__posted.some(m => m.type === 'ready'));
  await host(page, { type: 'init', session, messages: [message('u1', 'user', [{ id: 'p1', kind: 'text', text: 'Clean up the build folder' }]),
    message('a1', 'assistant', [{ id: 'c1p', kind: 'tool_use', toolCallId: 'c1', name: 'bash', input: { command: 'rm -rf build' }, state: 'error' }, part])], hasMore: false, instanceName: 'Loopback', modeName: 'Agent' });
  await page.locator('.chat-title', { hasText: 'Tidy the repo' }).waitFor();
  return { page, errors };
}

test('a hook\'s block card leads with the hook\'s reason; its command shows once opened', async () => {
  for (const theme of ['light', 'dark', 'hcDark', 'hcLight']) {
    const { page, errors } = await openChat(theme, hook());
    const card = page.locator('.part-hook');
    assert.equal(await card.locator('summary').innerText(), 'PreToolUse hook blocked: rm -rf is not allowed in this repository: delete files one by one');
    await card.locator('summary').click();
    assert.equal(await card.locator('.hook-command').innerText(), 'Hook: node .claude/hooks/guard-rm.js --strict');
    assert.match(await card.locator('pre').innerText(), /\(policy: guard-rm\)/);
    await page.screenshot({ path: path.join(screenshots, `hook-block-card-${theme}.png`) });
    assert.deepEqual(errors, []);
    await page.close();
  }
});

test('a hook that gave no reason is named by its command', async () => {
  const { page } = await openChat('dark', hook({ text: '', outcome: 'timeout' }));
  assert.equal(await page.locator('.part-hook summary').innerText(), 'PreToolUse hook stopped at its time limit: node .claude/hooks/guard-rm.js --strict');
  await page.close();
});
