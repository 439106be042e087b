// A new task's goal: the chat webview bundle with kind "goal" (the chat's composer alone) in chromium, with the
// extension's own HTML and CSP and a stand-in for the VS Code API (harness.mjs). Checks that the draft is shown,
// that an @-mention becomes a chip sent with the goal, that Escape closes without starting, and the images refusal.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { fromHost as host, screenshots, vscodeApiShim, webviewSuite } from './harness.mjs';

const suite = webviewSuite();
const imagesRefused = 'A task\'s goal takes files and selections, not images: describe the image in words, or attach its source.';

async function openGoal(theme = 'dark') {
  const page = await suite.browser.newPage({ viewport: { width: 900, height: 600 } });
  const errors = [];
  page.on('pageerror', error => errors.push(error.message));
  await page.addInitScript(vscodeApiShim);
  await page.goto(suite.harness.pageUrl(theme, 'goal'));
  await page.waitForFunction(() => window.__posted.some(m => m.type === 'ready'));
  await host(page, { type: 'goalDraft', heading: 'New task: Code writer · Loopback Groq · gpt-5-mini', text: 'Add validation', attachments: [], imagesRefused });
  await page.locator('.chat-title', { hasText: 'New task: Code writer · Loopback Groq · gpt-5-mini' }).waitFor();
  return { page, errors };
}

const posted = page => page.evaluate(() => window.__posted);

test('the goal composer keeps the typed text, takes several lines and an @-mention chip, and Enter posts both', async () => {
  const { page, errors } = await openGoal();
  const input = page.getByRole('textbox', { name: 'Goal of the task' });
  assert.equal(await input.inputValue(), 'Add validation', 'the text typed in the input box was lost');
  assert.equal(await page.locator('.messages').count(), 0, 'a goal has no transcript');
  await page.keyboard.press('Shift+Enter');
  await page.keyboard.type('to @user');
  await page.waitForFunction(() => window.__posted.some(m => m.type === 'mentionSearch' && m.query === 'user'));
  const item = { kind: 'file', label: 'users.ts', description: 'src/api', path: 'src/api/users.ts' };
  await host(page, { type: 'mentionResults', query: 'user', items: [item] });
  await page.getByRole('option', { name: /users\.ts/ }).waitFor();
  await page.keyboard.press('Enter');
  assert.deepEqual((await posted(page)).at(-1), { type: 'mention', item });
  const attachment = { kind: 'file', path: 'src/api/users.ts', content: 'export const users = [];', language: 'typescript' };
  await host(page, { type: 'addAttachment', attachment });
  await page.locator('.chip', { hasText: 'users.ts' }).waitFor();
  await page.keyboard.type('and test it');
  await page.keyboard.press('Enter');
  assert.deepEqual((await posted(page)).at(-1), { type: 'send', text: 'Add validation\nto and test it', attachments: [attachment] });
  assert.deepEqual(errors, []);
  await page.close();
});

test('a goal the host could not start comes back whole; Escape closes without starting, unless the @ menu takes it', async () => {
  const { page } = await openGoal();
  const attachment = { kind: 'selection', path: 'src/a.ts', content: 'let a;', range: { startLine: 2, endLine: 4 } };
  await host(page, { type: 'goalDraft', heading: 'New task: Code writer · Loopback Groq · gpt-5-mini', text: 'Refused goal', attachments: [attachment], imagesRefused });
  await host(page, { type: 'error', text: 'modelId: the instance does not offer gpt-5-mini' });
  await page.locator('.chip', { hasText: 'a.ts:2-4' }).waitFor();
  assert.equal(await page.getByRole('textbox', { name: 'Goal of the task' }).inputValue(), 'Refused goal');
  assert.match(await page.locator('.error-banner').innerText(), /does not offer/);
  // The image button says why before any dialog.
  const image = page.getByRole('button', { name: 'Attach an image' });
  assert.equal(await image.getAttribute('aria-disabled'), 'true');
  assert.equal(await image.getAttribute('title'), imagesRefused);

  await page.keyboard.type(' @');
  await page.waitForFunction(() => window.__posted.some(m => m.type === 'mentionSearch' && m.query === ''));
  await host(page, { type: 'mentionResults', query: '', items: [{ kind: 'problems', label: 'Problems' }] });
  await page.getByRole('listbox', { name: /^Mention/ }).waitFor();
  await page.keyboard.press('Escape');
  assert.equal((await posted(page)).some(m => m.type === 'cancel'), false, 'Escape in the @ menu closed the goal');
  await page.keyboard.press('Escape');
  assert.deepEqual((await posted(page)).at(-1), { type: 'cancel' });
  assert.equal((await posted(page)).some(m => m.type === 'send'), false);
  await page.close();
});

test('the goal composer in light, dark and both high-contrast themes', async () => {
  for (const theme of ['light', 'dark', 'hcDark', 'hcLight']) {
    const { page } = await openGoal(theme);
    await host(page, { type: 'addAttachment', attachment: { kind: 'file', path: 'src/api/users.ts', content: 'x' } });
    await page.locator('.chip').waitFor();
    await page.screenshot({ path: path.join(screenshots, `goal-composer-${theme}.png`) });
    await page.close();
  }
});
