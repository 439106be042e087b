// End to end: a chat in the packaged extension inside code-server, against
// tests/e2e/support/chatSidecar.mjs (a stand-in speaking the chat protocol
// until the real sidecar's sessions land). New Chat through the command
// palette, a streamed reply, Insert at Cursor, the Channels tree and the cost.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { launchBrowser } from '../support/browser.mjs';
import { repoRoot, startCodeServer, workbenchUrl } from '../support/codeServer.mjs';

const vsix = path.join(repoRoot, 'artifacts/plue-vscode.vsix');
const screenshots = path.join(repoRoot, 'artifacts/screenshots');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'plue-chat-e2e-'));
const workspace = path.join(scratch, 'sample-project');

let server;
let browser;
let page;

before(async () => {
  assert.ok(fs.existsSync(vsix), `${vsix} is missing: run \`npm run package\` first`);
  fs.mkdirSync(path.join(workspace, 'src'), { recursive: true });
  fs.writeFileSync(path.join(workspace, 'src/parser.ts'), '// parser\n');
  server = await startCodeServer({
    dir: path.join(scratch, 'code-server'), vsix,
    settings: { 'plue.sidecar.path': path.join(repoRoot, 'tests/e2e/support/chatSidecar.mjs') },
    // Slow enough deltas that Stop can be pressed mid-reply.
    env: { PLUE_HOME: path.join(scratch, 'plue-home'), PLUE_CHAT_DELAY_MS: '300' },
  });
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.setDefaultTimeout(30_000);
  await page.goto(workbenchUrl(server, { folder: workspace }));
  await page.locator('.monaco-workbench .activitybar').waitFor();
  await page.locator('.statusbar-item', { has: page.locator('.codicon-hubot') }).waitFor({ timeout: 60_000 });
}, { timeout: 150_000 });

after(async () => {
  await browser?.close().catch(() => {});
  await server?.stop();
  fs.rmSync(scratch, { recursive: true, force: true });
}, { timeout: 30_000 });

async function runCommand(title) {
  await page.keyboard.press('F1');
  await page.locator('.quick-input-widget input.input').fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor();
  await page.keyboard.press('Enter');
}

async function pick(label) {
  await page.locator('.quick-input-list .monaco-list-row', { hasText: label }).first().waitFor();
  await page.locator('.quick-input-widget input.input').fill(label);
  await page.keyboard.press('Enter');
}

const chat = () => page.frameLocator('iframe.webview.ready[src*="extensionId=plue.plue-vscode"]').frameLocator('#active-frame');

test('New Chat streams a reply, inserts its code at the cursor, and lists the chat with its cost', { timeout: 120_000 }, async () => {
  await page.keyboard.press('Control+P');
  await page.locator('.quick-input-widget input.input').fill('parser.ts');
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'parser.ts' }).first().waitFor();
  await page.keyboard.press('Enter');
  await page.locator('.tab', { hasText: 'parser.ts' }).waitFor();

  await runCommand('Plue: New Chat');
  await pick('Anthropic (work)');
  await pick('Claude Sonnet 4.5');
  const frame = chat();
  await frame.locator('.chat-title', { hasText: 'New chat' }).waitFor();
  assert.equal(await frame.locator('.chat-cost').innerText(), 'cost unknown');

  const input = frame.getByRole('textbox', { name: 'Message' });
  await input.click();
  await page.keyboard.type('How do I parse arithmetic?');
  await page.keyboard.press('Enter');
  const reply = frame.locator('article.message-assistant.status-complete');
  await reply.locator('h2', { hasText: 'Plan' }).waitFor();
  assert.equal(await reply.locator('code.language-ts').innerText(), 'const ast = parse("1 + 2");');
  await frame.locator('.chat-cost', { hasText: '$0.0123' }).waitFor();
  assert.equal(await frame.locator('article.message-user').innerText().then(t => t.includes('How do I parse arithmetic?')), true);

  await reply.getByRole('button', { name: 'Insert code at cursor' }).click();
  await page.locator('.tab.active', { hasText: 'parser.ts' }).waitFor();
  await page.locator('.monaco-editor .view-lines', { hasText: 'const ast = parse' }).waitFor();

  await page.locator('.statusbar-item', { hasText: '$0.0123' }).waitFor();
  await page.locator('.activitybar').getByRole('tab', { name: 'Plue', exact: true }).click();
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
  assert.equal(await frame.locator('.chat-cost').innerText(), '$0.0369');
});
