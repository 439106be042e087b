// End to end: a chat in the packaged extension inside code-server, with its real
// sidecar, answered by a loopback OpenAI-compatible server (tests/e2e/support/fakeOpenAI.mjs).
// The instance is added through the UI, then New Chat, a streamed reply, Insert at
// Cursor, the Channels tree and the cost; Stop mid-reply, Regenerate, Edit and Fork;
// an image pasted into a chat with a vision model; the panels coming back after a reload.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before } from 'node:test';
import { startFakeOpenAI } from './support/fakeOpenAI.mjs';
import { notification, openWorkbench, pickModel, runCommand, screenshots, showPlue, test } from './support/workbench.mjs';

const PLAN = '## Plan\n\nParse with a small recursive-descent parser:\n\n```ts\nconst ast = parse("1 + 2");\n```\n\nThen evaluate the tree.';
const BOOLEANS = 'For booleans, add a level below comparison for `&&` and `||`, with `!` as a unary operator. ' + 'Each level calls the next one down. '.repeat(30);

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'plue-chat-e2e-'));
const workspace = path.join(scratch, 'sample-project');

let workbench;
let page;
let provider;

before(async () => {
  fs.mkdirSync(path.join(workspace, 'src'), { recursive: true });
  fs.writeFileSync(path.join(workspace, 'src/parser.ts'), '// parser\n');
  // Replies in order: the plan; a slow one (Stop is pressed mid-way); the plan again (Regenerate); the edit's answer.
  provider = await startFakeOpenAI({
    replies: [
      { reasoning: 'The user wants a parser.', text: PLAN },
      { reasoning: 'Booleans need their own precedence levels.', text: BOOLEANS, gapMs: 120 },
      { text: PLAN },
      { text: '## Strings\n\nTokenize quoted text first.' },
      { text: 'A single **red** pixel.' },
    ],
  });
  workbench = await openWorkbench({ scratch, folder: workspace, env: { PLUE_HOME: path.join(scratch, 'plue-home') } });
  page = workbench.page;
}, { timeout: 150_000 });

after(async () => {
  await workbench?.close();
  await provider?.close();
  fs.rmSync(scratch, { recursive: true, force: true });
}, { timeout: 30_000 });

/** Like `pick`, for a label that others contain ("OpenAI" beside "Azure OpenAI"): clicks the row labelled exactly so. */
async function pickExactly(label) {
  await page.locator('.quick-input-widget input.input').fill(label);
  const escaped = label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  await page.locator('.quick-input-list .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${escaped}$`) }) }).first().click();
}

/** Adds a provider instance through the UI, pointed at the loopback provider, and waits for its test to pass. */
async function addInstance(catalogName, displayName, key) {
  await runCommand(page, 'Plue: Add Provider Instance');
  await pickExactly(catalogName);
  await page.locator('.quick-input-widget', { hasText: 'name' }).waitFor();
  await page.locator('.quick-input-widget input.input').fill(displayName);
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget', { hasText: 'endpoint' }).waitFor();
  await page.locator('.quick-input-widget input.input').fill(provider.endpoint);
  await page.keyboard.press('Enter');
  const input = page.locator('.quick-input-widget input[type="password"]');
  await input.waitFor();
  await input.pressSequentially(key, { delay: 2 });
  await page.keyboard.press('Enter');
  await notification(page, `${displayName} works`);
}

/** Waits until one of the chat panels on screen has a reply heading that `match` accepts. */
async function expectSomeVisibleChat(match) {
  const visible = page.locator('iframe.webview.ready[src*="extensionId=plue.plue-vscode"]:visible');
  for (let tries = 0; tries < 60; tries++) {
    for (let i = 0; i < await visible.count(); i++) {
      const headings = await visible.nth(i).contentFrame().frameLocator('#active-frame').locator('article.message-assistant h2').allInnerTexts().catch(() => []);
      if (headings.some(match)) return;
    }
    await page.waitForTimeout(1000);
  }
  assert.fail('no chat on screen shows the expected reply');
}

/** A 1×1 red PNG. */
const PIXEL = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==';

const chat = () => page.frameLocator('iframe.webview.ready[src*="extensionId=plue.plue-vscode"]').frameLocator('#active-frame');

test('New Chat streams a reply, inserts its code at the cursor, and lists the chat with its cost', { timeout: 120_000 }, async () => {
  await page.keyboard.press('Control+P');
  await page.locator('.quick-input-widget input.input').fill('parser.ts');
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'parser.ts' }).first().waitFor();
  await page.keyboard.press('Enter');
  await page.locator('.tab', { hasText: 'parser.ts' }).waitFor();

  // The provider instance, through the UI: Groq's catalog entry pointed at the loopback server.
  await addInstance('Groq', 'Loopback Groq', 'gsk_chat_e2e_key_123');

  await runCommand(page, 'Plue: New Chat');
  await pickModel(page, 'Loopback Groq', 'Kimi K2 0905');
  const frame = chat();
  await frame.locator('.chat-title', { hasText: 'New chat' }).waitFor();
  assert.equal(await frame.locator('.chat-cost').innerText(), '$0.00', 'nothing spent yet');
  // Kimi K2 takes no images (says the catalog): the action says so instead of opening a dialog.
  const attachImage = frame.getByRole('button', { name: 'Attach an image' });
  assert.equal(await attachImage.getAttribute('aria-disabled'), 'true');
  assert.match(await attachImage.getAttribute('title'), /kimi-k2-instruct-0905 does not take images/);

  const input = frame.getByRole('textbox', { name: 'Message' });
  await input.click();
  await page.keyboard.type('How do I parse arithmetic?');
  await page.keyboard.press('Enter');
  const reply = frame.locator('article.message-assistant.status-complete');
  await reply.locator('h2', { hasText: 'Plan' }).waitFor();
  assert.equal(await reply.locator('code.language-ts').innerText(), 'const ast = parse("1 + 2");');
  // 12,000 in × $1 + 4,000 out × $3 per million: the catalog's Kimi K2 prices.
  await frame.locator('.chat-cost', { hasText: '$0.024' }).waitFor();
  const sent = provider.chats()[0];
  assert.equal(sent.body.model, 'moonshotai/kimi-k2-instruct-0905', 'the chosen model is the one called');
  assert.equal(sent.auth, 'Bearer gsk_chat_e2e_key_123', 'the chosen instance (its key) is the one called');
  assert.equal(await frame.locator('article.message-user').innerText().then(t => t.includes('How do I parse arithmetic?')), true);

  await reply.getByRole('button', { name: 'Insert code at cursor' }).click();
  await page.locator('.tab.active', { hasText: 'parser.ts' }).waitFor();
  await page.locator('.monaco-editor .view-lines', { hasText: 'const ast = parse' }).waitFor();

  await page.locator('.statusbar-item', { hasText: '$0.024' }).waitFor();
  await showPlue(page);
  const tree = page.locator('.pane', { hasText: 'Channels' });
  await tree.getByRole('treeitem', { name: /How do I parse arithmetic/ }).waitFor();

  await page.locator('.tab', { hasText: 'How do I parse' }).click();
  await frame.locator('article.message-assistant').waitFor();
  await page.mouse.move(700, 450);
  fs.mkdirSync(screenshots, { recursive: true });
  await page.screenshot({ path: path.join(screenshots, 'chat-e2e.png') });
});

test('Stop ends a streaming reply, the tree spins meanwhile, and Regenerate replaces it', { timeout: 90_000 }, async () => {
  const frame = chat();
  const input = frame.getByRole('textbox', { name: 'Message' });
  await input.click();
  await page.keyboard.type('And for booleans?');
  await page.keyboard.press('Enter');
  const stop = frame.getByRole('button', { name: 'Stop the reply' });
  await stop.waitFor();
  await frame.locator('article.message-assistant').nth(1).locator('.part-reasoning').waitFor();
  await page.locator('.pane', { hasText: 'Channels' }).getByRole('treeitem', { name: /How do I parse/ }).locator('.codicon-loading').waitFor();
  await page.screenshot({ path: path.join(screenshots, 'chat-e2e-streaming.png') });
  await stop.click();
  const stopped = frame.locator('article.message-assistant.status-cancelled');
  await stopped.locator('.message-status', { hasText: 'Stopped.' }).waitFor();
  await frame.getByRole('button', { name: 'Send (Enter)' }).waitFor();

  await stopped.getByRole('button', { name: 'Regenerate the reply' }).click();
  await frame.locator('article.message-assistant').nth(1).and(frame.locator('.status-complete')).locator('h2', { hasText: 'Plan' }).waitFor({ timeout: 30_000 });
  assert.equal(await frame.locator('article.message-assistant').count(), 2);
  // The stopped reply never reported usage: its cost is estimated from what streamed, so the chat's total (which keeps
  // the replaced reply: money spent stays spent) is marked as an estimate, never shown as a plain figure.
  assert.match(await frame.locator('.chat-cost').innerText(), /^~\$\d+\.\d+$/);
  await page.screenshot({ path: path.join(screenshots, 'chat-e2e-regenerated.png') });
});

test('Edit resends a question and Fork opens a new chat with the conversation so far', { timeout: 90_000 }, async () => {
  const frame = chat();
  const question = frame.locator('article.message-user').first();
  await question.hover();
  await question.getByRole('button', { name: 'Edit and resend' }).click();
  const editor = question.getByRole('textbox', { name: 'Edit your message' });
  await editor.fill('How do I parse strings?');
  await page.keyboard.press('Enter');
  await frame.locator('article.message-assistant.status-complete h2', { hasText: 'Strings' }).waitFor({ timeout: 30_000 });
  assert.match(JSON.stringify(provider.chats().at(-1).body.messages), /How do I parse strings\?/);
  await page.screenshot({ path: path.join(screenshots, 'chat-e2e-edited.png') });

  const answer = frame.locator('article.message-assistant').first();
  await answer.hover();
  await answer.getByRole('button', { name: 'Fork the chat from this message' }).click();
  await page.locator('.tab', { hasText: '(fork)' }).waitFor();
  await page.locator('.pane', { hasText: 'Channels' }).getByRole('treeitem', { name: /\(fork\)/ }).waitFor();
  // Two chat panels now; the fork's is the one on screen.
  const fork = page.frameLocator('iframe.webview.ready[src*="extensionId=plue.plue-vscode"]:visible').frameLocator('#active-frame');
  await fork.locator('article.message-assistant h2', { hasText: 'Strings' }).waitFor();
  await page.mouse.move(700, 450);
  await page.screenshot({ path: path.join(screenshots, 'chat-e2e-forked.png') });
});

test('an image pasted into a chat with a vision model reaches the provider as an image_url data URL', { timeout: 120_000 }, async () => {
  await addInstance('OpenAI', 'Loopback OpenAI', 'sk-chat-e2e-vision-123');
  // New Chat would start on the model used last (Kimi K2): this one picks another.
  await runCommand(page, 'Plue: New Chat with Model');
  await pickModel(page, 'Loopback OpenAI', 'GPT-4o');
  const frame = page.frameLocator('iframe.webview.ready[src*="extensionId=plue.plue-vscode"]:visible').frameLocator('#active-frame');
  await frame.locator('.composer-model', { hasText: 'gpt-4o' }).waitFor();
  assert.equal(await frame.getByRole('button', { name: 'Attach an image' }).getAttribute('aria-disabled'), 'false');

  const input = frame.getByRole('textbox', { name: 'Message' });
  await input.click();
  // A paste event carrying an image file, as the browser makes when an image is on the clipboard.
  await input.evaluate((element, base64) => {
    const data = new DataTransfer();
    data.items.add(new File([Uint8Array.from(atob(base64), c => c.charCodeAt(0))], 'image.png', { type: 'image/png' }));
    element.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, PIXEL);
  await frame.locator('.chip', { hasText: 'image.png' }).locator('img.chip-thumbnail').waitFor();
  await page.keyboard.type('What is in this picture?');
  await page.screenshot({ path: path.join(screenshots, 'chat-e2e-image-chip.png') });
  await page.keyboard.press('Enter');

  await frame.locator('article.message-assistant.status-complete strong', { hasText: 'red' }).waitFor({ timeout: 30_000 });
  const sent = provider.chats().at(-1);
  assert.equal(sent.body.model, 'gpt-4o');
  assert.equal(sent.auth, 'Bearer sk-chat-e2e-vision-123');
  const user = sent.body.messages.filter(m => m.role === 'user').at(-1);
  assert.deepEqual(user.content, [
    { type: 'text', text: 'What is in this picture?' },
    { type: 'image_url', image_url: { url: `data:image/png;base64,${PIXEL}` } },
  ]);
  // The transcript shows the image itself, drawn under the panel's CSP.
  await frame.locator('article.message-user figure.part-image img').waitFor();
  assert.equal(await frame.locator('article.message-user figure.part-image img').evaluate(img => img.naturalWidth), 1);
  await page.screenshot({ path: path.join(screenshots, 'chat-e2e-image-sent.png') });
});

test('after Reload Window the chat panels come back with their messages, two on screen at once', { timeout: 180_000 }, async () => {
  // Two chats side by side: the image chat in a group of its own on the right, the fork in front on the left.
  await runCommand(page, 'View: Move Editor into Right Group');
  await page.locator('.editor-group-container').nth(1).locator('.tab.active', { hasText: 'What is in this picture' }).waitFor().catch(() => {});
  await page.locator('.editor-group-container').first().locator('.tab', { hasText: '(fork)' }).click();
  await page.locator('iframe.webview.ready[src*="extensionId=plue.plue-vscode"]:visible').nth(1).waitFor();
  const titlesBefore = await page.locator('.tabs-container .tab .label-name').allInnerTexts();
  await runCommand(page, 'Developer: Reload Window');
  await page.waitForLoadState('domcontentloaded');
  await page.locator('.monaco-workbench .activitybar').waitFor({ timeout: 60_000 });
  await page.locator('.statusbar-item', { has: page.locator('.codicon-hubot') }).waitFor({ timeout: 60_000 });

  // Both panels on screen are restored by the extension's serializer, each with its messages from the sidecar
  // (a page whose script or style failed to load is rendered again by the host).
  const visible = page.locator('iframe.webview.ready[src*="extensionId=plue.plue-vscode"]:visible');
  await visible.nth(1).waitFor({ timeout: 60_000 });
  const framesOnScreen = [0, 1].map(i => visible.nth(i).contentFrame().frameLocator('#active-frame'));
  await Promise.all(framesOnScreen.map(f => f.locator('article.message-assistant.status-complete').first().waitFor({ timeout: 60_000 })));
  const shown = await Promise.all(framesOnScreen.map(f => f.locator('main.messages').innerText()));
  assert.ok(shown.some(t => t.includes('Strings')) && shown.some(t => t.includes('What is in this picture?')), `the two panels show: ${shown.map(t => t.slice(0, 80)).join(' | ')}`);
  const frame = framesOnScreen[shown.findIndex(t => t.includes('What is in this picture?'))];
  await frame.locator('article.message-assistant.status-complete strong', { hasText: 'red' }).waitFor({ timeout: 60_000 });
  await frame.locator('article.message-user figure.part-image img').waitFor();
  assert.match(await frame.locator('article.message-user').innerText(), /What is in this picture\?/);
  assert.match(await frame.locator('.composer-model').innerText(), /Loopback OpenAI · gpt-4o/);
  // Every chat tab is back, the other chats too.
  const titlesAfter = await page.locator('.tabs-container .tab .label-name').allInnerTexts();
  for (const title of titlesBefore) assert.ok(titlesAfter.includes(title), `the tab "${title}" did not come back: ${titlesAfter.join(', ')}`);
  await page.mouse.move(700, 450);
  await page.screenshot({ path: path.join(screenshots, 'chat-e2e-after-reload.png') });

  // A restored panel that was in the background loads when shown.
  await page.locator('.tabs-container .tab', { hasText: 'How do I parse' }).filter({ hasNotText: '(fork)' }).click();
  // The first chat's last reply is the edited question's (Strings), like its fork's.
  await expectSomeVisibleChat(h2 => h2.includes('Strings'));
});
