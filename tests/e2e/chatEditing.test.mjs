// A chat that works on the code, in code-server with the packaged VSIX and a loopback OpenAI-compatible provider:
// the Channels view's welcome before the first chat, a second New Chat opens at once on the model the first was given,
// an @-mention of a file reaches the provider's request, the reply's code is highlighted (the highlighter loads under
// the webview's real CSP), Apply opens a diff that is accepted (the file changes) and one that is rejected (it does
// not), the first chat's title is summarised by its model, and a chat in the side bar streams and stops on Escape.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before } from 'node:test';
import { startFakeOpenAI } from './support/fakeOpenAI.mjs';
import { textContrast } from '../support/contrast.mjs';
import { fillAddProvider, notification, openWorkbench, pickModel, runCommand, runCommandToPick, runCommandUntil, saveScreenshot, setColorTheme, showPlue, sideBarChat, test } from './support/workbench.mjs';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'plue-chat-editing-e2e-'));
const workspace = path.join(scratch, 'project');
const parser = path.join(workspace, 'src/parser.ts');
const lexer = path.join(workspace, 'src/lexer.ts');

/** Each kind of theme, by the name its picker shows; Light Modern last, as the later steps expect. */
const themes = [['Dark Modern', 'dark'], ['Dark High Contrast', 'hc-dark'], ['Light High Contrast', 'hc-light'], ['Light Modern', 'light']];

const FIX = 'Bump the version:\n\n```ts src/parser.ts\n// the parser\nexport const version = 2;\n```\n';
const LEX = 'And the lexer:\n\n```ts src/lexer.ts\nexport const lex = (s: string) => s.split(" ");\n```\n';
/** A long reply streamed slowly, for Escape to stop halfway. */
const SLOW = Array.from({ length: 60 }, (_, i) => `number ${i + 1},`).join(' ');

/** The reply to a request, by what its last user message asks. */
function respond(body) {
  const asked = JSON.stringify(body.messages.filter((m) => m.role === 'user').at(-1) ?? '');
  if (asked.includes('Now the lexer')) return { text: LEX };
  if (asked.includes('side bar')) return { text: 'Hello from the side bar.' };
  if (asked.includes('Count slowly')) return { text: SLOW, gapMs: 400 };
  return { text: FIX };
}

let workbench;
let page;
let provider;

before(async () => {
  fs.mkdirSync(path.dirname(parser), { recursive: true });
  fs.writeFileSync(parser, '// the parser\nexport const version = 1;\n');
  fs.writeFileSync(lexer, 'export const lex = 1;\n');
  // The first chat's title is summarised by its model; the others keep their question's first words.
  provider = await startFakeOpenAI({ respond, title: (question) => question.startsWith('Fix') ? 'Parser version bump' : question.split(/\s+/).slice(0, 6).join(' ') });
  workbench = await openWorkbench({ scratch, folder: workspace, env: { PLUE_HOME: path.join(scratch, 'plue-home') } });
  page = workbench.page;
}, { timeout: 150_000 });

after(async () => {
  await workbench?.close();
  await provider?.close();
  fs.rmSync(scratch, { recursive: true, force: true });
}, { timeout: 30_000 });

/** The chat tab on screen: the visible Plue webview with a composer (the side bar's Chat view is one too, when open). */
async function chatTab() {
  const frames = page.locator('iframe.webview.ready[src*="extensionId=plue.plue-vscode"]:visible');
  for (let tries = 0; tries < 60; tries++) {
    for (let i = 0; i < await frames.count(); i++) {
      const frame = frames.nth(i).contentFrame().frameLocator('#active-frame');
      if (await frame.locator('.composer .composer-model').count().catch(() => 0)) return frame;
    }
    await page.waitForTimeout(500);
  }
  assert.fail('no chat tab is on screen');
}
const quickInputOpen = () => page.locator('.quick-input-widget').isVisible();
/** The Plue side bar's Channels view. */
const channels = () => page.locator('.pane', { has: page.locator('.pane-header .title', { hasText: /^Channels$/ }) });

test('with no chat or task yet, the Channels view says what to do next', { timeout: 60_000 }, async () => {
  await showPlue(page);
  await channels().locator('.welcome-view-content', { hasText: 'No chats or tasks yet. Add a provider first' }).waitFor();
  await channels().locator('.welcome-view-content').getByRole('button', { name: 'Add Provider Instance' }).waitFor();
  await saveScreenshot(page, 'channels-welcome-no-provider.png');
});

test('a Claude Code instance is added in two steps: no endpoint, no key', { timeout: 120_000 }, async () => {
  await runCommandToPick(page, 'Plue: Add Provider Instance', 'Claude Code (claude CLI)');
  const title = page.locator('.quick-input-widget .quick-input-title');
  await title.filter({ hasText: 'name' }).waitFor();
  assert.equal(await title.innerText(), 'Add Provider Instance (2/2): name');
  await page.locator('.quick-input-widget input.input').fill('My Claude Code');
  await page.keyboard.press('Enter');
  // The instance is made and tested at once: no endpoint (the CLI's ANTHROPIC_BASE_URL would be a typed URL) and no key.
  await showPlue(page);
  await page.locator('.pane', { hasText: 'Providers' }).getByRole('treeitem', { name: /My Claude Code/ }).waitFor();
  assert.equal(await page.locator('.quick-input-widget input[type="password"]').isVisible(), false, 'a key was asked for');
  assert.equal(await title.filter({ hasText: 'endpoint' }).count(), 0, 'an endpoint was asked for');
  await page.keyboard.press('Escape');
});

test('one step to a chat, an @-mention in the request, highlighted code, Apply accepted and rejected', { timeout: 300_000 }, async () => {
  await runCommand(page, 'Plue: Add Provider Instance');
  await fillAddProvider(page, { provider: 'Groq', name: 'Loopback Groq', endpoint: provider.endpoint, key: 'gsk_editing_e2e_key_1' });
  await notification(page, 'Loopback Groq works');

  // With a provider, the welcome offers New Chat and Run Task. The first chat asks for the model (the instance has no
  // default); the next one starts on it at once.
  await channels().locator('.welcome-view-content').getByRole('button', { name: 'Run Task' }).waitFor();
  await saveScreenshot(page, 'channels-welcome.png');
  await channels().locator('.welcome-view-content').getByRole('button', { name: 'New Chat' }).click();
  await pickModel(page, 'Loopback Groq', 'Kimi K2 0905');
  await page.locator('.tab', { hasText: 'New chat' }).first().waitFor();
  let frame = await chatTab();
  await frame.locator('.composer-model', { hasText: 'Loopback Groq · moonshotai/kimi-k2-instruct-0905' }).waitFor();

  // @pars → parser.ts, chosen by keyboard: a chip, and the file in the provider's request.
  const input = frame.getByRole('textbox', { name: 'Message' });
  await input.click();
  await page.keyboard.type('Fix @pars');
  await frame.getByRole('option', { name: /parser\.ts/ }).waitFor();
  await page.keyboard.press('Enter');
  await frame.locator('.chip', { hasText: 'parser.ts' }).waitFor();
  await page.keyboard.type('please');
  await page.keyboard.press('Enter');
  const reply = frame.locator('article.message-assistant.status-complete');
  await reply.locator('.code-block').waitFor();
  const sent = JSON.stringify(provider.chats().at(-1).body.messages);
  assert.match(sent, /Attached file src\/parser\.ts/, 'the mention did not reach the provider');
  assert.match(sent, /export const version = 1;/, 'the mentioned file\'s content did not reach the provider');
  assert.match(sent, /Fix src\/parser\.ts please/, 'the mention leaves the file\'s path in the sentence');

  // Highlighted in the real webview: the highlighter bundle loaded under its CSP, in the colours of each kind of theme.
  const keyword = reply.locator('code.hljs .hljs-keyword').first();
  await keyword.waitFor();
  const colours = new Set();
  for (const [name, kind] of themes) {
    await setColorTheme(page, name, kind);
    const { ratio, color } = await keyword.evaluate(textContrast);
    assert.ok(ratio >= 4.5, `a keyword has a contrast of ${ratio}:1 (${color}) in ${kind}`);
    colours.add(color);
    await saveScreenshot(page, `chat-editing-highlight-${kind}.png`);
  }
  assert.equal(colours.size, themes.length, `a keyword keeps one colour across the themes: ${[...colours]}`);

  // Apply → the diff editor → Accept: the file changes.
  await reply.getByRole('button', { name: /^Apply to src\/parser\.ts/ }).click();
  await page.locator('.tab', { hasText: 'parser.ts ↔ Proposed by Plue' }).waitFor();
  await saveScreenshot(page, 'chat-editing-diff.png');
  assert.equal(fs.readFileSync(parser, 'utf8'), '// the parser\nexport const version = 1;\n', 'the file changed before Accept');
  await page.locator('.editor-actions').getByRole('button', { name: 'Accept the Proposed Change' }).click();
  await page.locator('.tab', { hasText: 'parser.ts ↔ Proposed by Plue' }).waitFor({ state: 'detached' });
  // The accepted file is shown, changed and saved (the integration suite checks the bytes on disk).
  await page.locator('.tab.active:not(.dirty)', { hasText: 'parser.ts' }).waitFor();
  await page.locator('.monaco-editor .view-lines', { hasText: 'export const version = 2;' }).waitFor();

  // The chat's title, first its question ("Fix src/parser.ts please"), is now the model's summary: in its tab and in Channels.
  await page.locator('.tab', { hasText: 'Parser version bump' }).waitFor();
  await channels().getByRole('treeitem', { name: /Parser version bump/ }).waitFor();
  assert.equal(provider.titles().length, 1);
  assert.match(JSON.stringify(provider.titles()[0].body.messages), /User: Fix src\/parser\.ts please/);

  // The next reply's code, applied then rejected: the file stays as it was.
  await page.locator('.tab', { hasText: 'Parser version bump' }).click();
  frame = await chatTab();
  await frame.getByRole('textbox', { name: 'Message' }).click();
  await page.keyboard.type('Now the lexer');
  await page.keyboard.press('Enter');
  await frame.locator('article.message-assistant.status-complete', { hasText: 'And the lexer' }).waitFor();
  await frame.getByRole('button', { name: /^Apply to src\/lexer\.ts/ }).click();
  await page.locator('.tab', { hasText: 'lexer.ts ↔ Proposed by Plue' }).waitFor();
  await page.locator('.editor-actions').getByRole('button', { name: 'Reject the Proposed Change' }).click();
  await page.locator('.tab', { hasText: 'lexer.ts ↔ Proposed by Plue' }).waitFor({ state: 'detached' });
  assert.equal(fs.readFileSync(lexer, 'utf8'), 'export const lex = 1;\n');

  // One step to the next chat: New Chat's key (Ctrl+Alt+N) opens it at once on the model chosen for the first.
  await page.locator('.pane', { hasText: 'Providers' }).getByRole('treeitem', { name: /Loopback Groq/ }).click();
  await page.keyboard.press('Control+Alt+N');
  await page.locator('.tab', { hasText: 'New chat' }).waitFor();
  assert.equal(await quickInputOpen(), false, 'the second New Chat asked for a model');
  frame = await chatTab();
  await frame.locator('.chat-title', { hasText: 'New chat' }).waitFor();
  await frame.locator('.composer-model', { hasText: 'Loopback Groq · moonshotai/kimi-k2-instruct-0905' }).waitFor();
});

test('a chat in the side bar streams its reply, Escape stops a streaming one, and it moves to an editor tab', { timeout: 240_000 }, async () => {
  // The chat the last test opened goes to the side bar; with no editor open, the side bar's is the one chat on screen.
  await runCommandUntil(page, 'Plue: Move Chat to Side Bar', sideBarChat(page));
  // The side bar's view takes the focus once it shows, and a palette opened before then closes under it, the command
  // typed or not: wait for its composer (it has loaded), then close the editors until none is left, as a person would.
  await chatTab();
  const tabs = page.locator('.tabs-container .tab');
  for (let attempt = 1; await tabs.count(); attempt++) {
    assert.ok(attempt <= 3, 'View: Close All Editors left tabs open three times');
    await runCommand(page, 'View: Close All Editors');
    await tabs.first().waitFor({ state: 'detached', timeout: 5_000 }).catch(() => {});
  }
  const frame = await chatTab();
  await frame.locator('.chat-title', { hasText: 'New chat' }).waitFor();
  const input = frame.getByRole('textbox', { name: 'Message' });
  await input.click();
  await page.keyboard.type('Say hello from the side bar');
  await page.keyboard.press('Enter');
  await frame.locator('article.message-assistant.status-complete', { hasText: 'Hello from the side bar.' }).waitFor();
  await saveScreenshot(page, 'chat-side-bar.png');

  // A slow reply: Escape in the composer stops it halfway, and it says so.
  await input.click();
  await page.keyboard.type('Count slowly to sixty');
  await page.keyboard.press('Enter');
  const streaming = frame.locator('article.message-assistant', { hasText: 'number 3,' });
  await streaming.waitFor();
  await input.focus();
  await page.keyboard.press('Escape');
  const stopped = frame.locator('article.message-assistant.status-cancelled');
  await stopped.locator('.message-status', { hasText: 'Stopped' }).waitFor();
  assert.doesNotMatch(await stopped.innerText(), /number 60,/, 'the whole reply arrived: Escape did not stop it');
  await frame.locator('.stop-button').waitFor({ state: 'hidden' });
  await saveScreenshot(page, 'chat-side-bar-stopped.png');

  // Back to an editor tab, with its transcript.
  await runCommand(page, 'Plue: Move Chat to Editor');
  await page.locator('.tab', { hasText: 'Say hello from the side bar' }).waitFor();
  const tab = await chatTab();
  await tab.locator('article.message-assistant.status-complete', { hasText: 'Hello from the side bar.' }).waitFor();
});

/** The sidecar this test's code-server runs: a plue process whose command line is inside this test's scratch folder. */
function sidecarPid() {
  const row = sidecarRows()[0];
  return row ? Number(row.trim().split(/\s+/)[0]) : undefined;
}

/** This test's plue processes as `ps` shows them: pid, parent, seconds alive, command line. */
function sidecarRows() {
  const rows = execFileSync('ps', ['-eo', 'pid=,ppid=,etimes=,args='], { encoding: 'utf8' }).split('\n');
  return rows.filter((line) => line.includes(scratch) && /\/plue(\.dll)?( |$)/.test(line));
}

test('the "not running" banner clears as soon as the sidecar is back, without another message', { timeout: 240_000 }, async () => {
  const frame = await chatTab();
  // Killed five times over, the sidecar is not restarted again: the extension gives up.
  // Each is killed once it runs (the status bar says so), as a crash in use is; deaths during the start are the
  // integration suite's.
  const running = page.locator('.statusbar-item', { has: page.locator('.codicon-hubot') });
  let killed;
  const kills = [];
  for (let crashes = 0; crashes < 6; crashes++) {
    let pid;
    for (let tries = 0; tries < 120; tries++) {
      pid = sidecarPid();
      if (pid && pid !== killed) break;
      await page.waitForTimeout(250);
    }
    assert.ok(pid && pid !== killed, `no new sidecar after ${crashes} crashes`);
    await running.waitFor({ timeout: 60_000 });
    assert.equal(sidecarPid(), pid, 'another sidecar started while this one started');
    process.kill(pid, 'SIGKILL');
    killed = pid;
    kills.push(pid);
    // The status bar says so before the next is waited for: a "running" still shown is this one's, not its successor's.
    await running.waitFor({ state: 'hidden', timeout: 10_000 }).catch(() => undefined);
  }
  // It is given up on: no sidecar runs (and none comes back) for a few seconds running.
  for (let quiet = 0, tries = 0; quiet < 8 && tries < 240; tries++) {
    quiet = sidecarPid() ? 0 : quiet + 1;
    await page.waitForTimeout(500);
  }
  assert.deepEqual(sidecarRows(), [], `the sidecar was restarted after every crash: killed ${kills.join(', ')}`);
  // A message sent now cannot go: the panel says why.
  await frame.getByRole('textbox', { name: 'Message' }).click();
  await page.keyboard.type('Are you there?');
  await page.keyboard.press('Enter');
  const banner = frame.locator('.error-banner', { hasText: 'The Plue sidecar is not running: it crashed repeatedly' });
  await banner.waitFor();
  await saveScreenshot(page, 'chat-sidecar-not-running.png');
  // Restarted: once the sidecar runs again the banner is gone, with no new turn to clear it.
  await runCommand(page, 'Plue: Restart Sidecar');
  await frame.locator('.error-banner').waitFor({ state: 'hidden' });
  assert.ok(sidecarPid(), 'the sidecar did not come back');
});
