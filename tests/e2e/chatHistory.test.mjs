// End to end: the agent chat's other half, in the packaged extension inside code-server with its real sidecar and a
// loopback OpenAI-compatible provider that holds replies back on cue. A message sent while the chat answers is queued
// above the composer and reaches the provider only once the answer ends; another, sent with "Send now", stops the
// answer and goes at once (a steer). "Search Chats and Tasks" finds the chat by a word of its third message, opens it,
// and "Export Chat..." writes it as Markdown to a file picked in the save dialog. `@url` attaches a loopback page's
// text and `@codebase` the chunk that defines a word. "Always allow `npm test` in this workspace" on a command's card
// lets the next `npm test` run without asking while `npm publish` still asks; Revoke in the composer's list of what runs
// without asking makes `npm test` ask again. Each step's screen is saved in the four kinds of theme.
// Needs artifacts/plue-vscode.vsix.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before } from 'node:test';
import { startFakeOpenAI } from './support/fakeOpenAI.mjs';
import { fillAddProvider, notification, openWorkbench, pick, pickModel, runCommand, runCommandUntil, saveScreenshot, setColorTheme, test, visibleWebview } from './support/workbench.mjs';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'plue-chat-history-e2e-'));
const workspace = path.join(scratch, 'history-project');
const themes = [['Dark Modern', 'dark'], ['Dark High Contrast', 'hc-dark'], ['Light High Contrast', 'hc-light'], ['Light Modern', 'light']];
/** The word only the chat's third message holds, searched for. */
const THIRD_WORD = 'quokkafrond';
/** A line of the loopback page, looked for in the provider's request. */
const PAGE_LINE = 'The widget guide says: tighten bolt 7781 first.';

/** A reply held until `release()`: the chat answers (streams nothing) for as long as the test needs. */
function held(text) {
  let release;
  const promise = new Promise((resolve) => { release = resolve; });
  return { reply: { text, before: promise }, release };
}

const first = held('The first answer is done.');
const second = held('The second answer, never finished.');

function respond(body) {
  const lastUser = body.messages.findLast((m) => m.role === 'user');
  const asked = JSON.stringify(lastUser?.content ?? '');
  if (asked.includes('FIRST-HOLD')) return first.reply;
  if (asked.includes('SECOND-HOLD')) return second.reply;
  if (asked.includes('QUEUED-ZEBRA')) return { text: 'Answered the queued one.' };
  if (asked.includes('STEER-NOW')) return { text: 'Steered here.' };
  if (asked.includes('WITH-CONTEXT')) return { text: 'Read the page and the code.' };
  const results = body.messages.slice(body.messages.lastIndexOf(lastUser) + 1).filter((m) => m.role === 'tool').length;
  for (const [cue, command] of [['RUN-NPM-TEST', 'npm test'], ['RUN-NPM-PUBLISH', 'npm publish']]) {
    if (asked.includes(cue)) return results === 0 ? { toolCalls: [{ name: 'bash', arguments: { command } }] } : { text: `Done with ${command}.` };
  }
  return { text: 'Looked at it.' };
}

let workbench;
let page;
let provider;
let site;

before(async () => {
  fs.mkdirSync(path.join(workspace, 'src'), { recursive: true });
  fs.writeFileSync(path.join(workspace, 'src/gears.ts'), 'export function frobnicateGears(count: number): number {\n  return count * 3; // gears-chunk-5150\n}\n');
  fs.writeFileSync(path.join(workspace, 'README.md'), '# History project\n');
  // npm test leaves a mark; npm publish is never allowed (the package is private either way).
  fs.writeFileSync(path.join(workspace, 'package.json'), JSON.stringify({ name: 'history-project', version: '1.0.0', private: true, scripts: { test: 'node -e "require(\'fs\').appendFileSync(\'tests-ran.txt\', \'ran\\\\n\')"' } }, null, 2));
  site = http.createServer((req, res) => {
    res.writeHead(req.url === '/guide.html' ? 200 : 404, { 'content-type': 'text/html' });
    res.end(req.url === '/guide.html' ? `<html><head><title>Guide</title><script>var x = 1;</script></head><body><h1>Widgets</h1><p>${PAGE_LINE}</p></body></html>` : '');
  });
  await new Promise((resolve) => site.listen(0, '127.0.0.1', resolve));
  provider = await startFakeOpenAI({ respond });
  workbench = await openWorkbench({ scratch, folder: workspace, env: { PLUE_HOME: path.join(scratch, 'plue-home') } });
  page = workbench.page;
}, { timeout: 150_000 });

after(async () => {
  first.release();
  second.release();
  await workbench?.close();
  await provider?.close();
  site?.close();
  fs.rmSync(scratch, { recursive: true, force: true });
}, { timeout: 30_000 });

const chat = () => visibleWebview(page);
const pageUrl = () => `http://127.0.0.1:${site.address().port}/guide.html`;
/** The provider's requests whose last user message holds `text`. */
const asked = (text) => provider.chats().filter((c) => JSON.stringify(c.body.messages.findLast((m) => m.role === 'user')?.content ?? '').includes(text));

async function until(check, what, timeout = 30_000) {
  const deadline = Date.now() + timeout;
  while (!(await check())) {
    assert.ok(Date.now() < deadline, `timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function send(text) {
  await chat().getByRole('textbox', { name: 'Message' }).click();
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
}

/** Saves `name-<kind>.png` in each theme, `show` bringing back what a theme change closed; ends in Dark Modern. */
async function inEveryTheme(name, show = async () => {}) {
  for (const [theme, kind] of themes) {
    await setColorTheme(page, theme, kind);
    await show();
    await saveScreenshot(page, `${name}-${kind}.png`);
  }
  await setColorTheme(page, 'Dark Modern', 'dark');
}

test('a message sent while the chat answers is queued and sent when the answer ends; Send now on another stops the answer and sends it at once', { timeout: 300_000 }, async () => {
  await runCommand(page, 'Plue: Add Provider Instance');
  await fillAddProvider(page, { provider: 'Groq', name: 'Loopback Groq', endpoint: provider.endpoint, key: 'loopback-groq-e2e-key-1' });
  await notification(page, 'Loopback Groq works');
  await runCommand(page, 'Plue: New Chat');
  await pickModel(page, 'Loopback Groq', 'Kimi K2 0905');

  await send('FIRST-HOLD tell me about gears');
  await until(() => asked('FIRST-HOLD').length === 1, 'the first message to reach the provider');
  await send('QUEUED-ZEBRA and then the bolts');
  const queued = chat().getByRole('group', { name: 'Queued message 1 of 1' });
  await queued.waitFor();
  assert.match(await queued.innerText(), /QUEUED-ZEBRA and then the bolts/);
  assert.equal(asked('QUEUED-ZEBRA').length, 0, 'the queued message reached the provider while the first answer ran');
  await inEveryTheme('chat-history-queued', () => queued.waitFor());

  // The answer ends: the queued message goes next, with the answer before it in its history.
  first.release();
  await chat().locator('article.message-assistant.status-complete', { hasText: 'Answered the queued one.' }).waitFor();
  const [next] = asked('QUEUED-ZEBRA');
  assert.match(JSON.stringify(next.body.messages), /The first answer is done\./);
  assert.equal(await queued.count(), 0, 'the sent message is still shown as queued');

  // A steer: Send now on a queued message stops the answer that is running and sends it without waiting.
  await send(`SECOND-HOLD the third message says ${THIRD_WORD}`);
  await until(() => asked('SECOND-HOLD').length === 1, 'the third message to reach the provider');
  await send('STEER-NOW look at the README instead');
  const steer = chat().getByRole('group', { name: 'Queued message 1 of 1' });
  await steer.waitFor();
  await steer.getByRole('button', { name: /^Send now/ }).click();
  await chat().locator('article.message-assistant.status-complete', { hasText: 'Steered here.' }).waitFor({ timeout: 30_000 });
  assert.equal(asked('STEER-NOW').length, 1);
  second.release(); // its answer was stopped: what it sends now goes nowhere
});

test('Search Chats and Tasks finds the chat by a word of its third message and opens it; Export Chat writes it as Markdown', { timeout: 300_000 }, async () => {
  await runCommand(page, 'View: Close All Editors');
  // The matching line is the row's detail, shown once the search for the word answered (a row kept from an earlier
  // list may hold it hidden).
  const detail = page.locator('.quick-input-list-label-meta .monaco-icon-label:visible', { hasText: THIRD_WORD });
  const row = page.locator('.quick-input-list .monaco-list-row', { has: detail }).first();
  const line = row.locator(detail);
  const search = async () => {
    await runCommandUntil(page, 'Plue: Search Chats and Tasks', page.locator('.quick-input-widget input[placeholder^="Words in a title"]'));
    await page.locator('.quick-input-widget input.input').fill(THIRD_WORD);
    await row.waitFor();
  };
  await inEveryTheme('chat-history-search', search);
  await search();
  assert.match(await row.innerText(), /FIRST-HOLD tell me about gears/, 'the row does not name the chat');
  assert.match(await line.innerText(), /SECOND-HOLD the third message says quokkafrond/, 'the row does not show the matching line');
  await page.keyboard.press('Enter');
  await chat().locator('article.message-user', { hasText: THIRD_WORD }).waitFor();

  await runCommand(page, 'Plue: Export Chat...');
  // The chat picker says what it picks for (it said "Open Chat").
  await page.locator('.quick-input-widget .quick-input-title', { hasText: /^Export Chat$/ }).waitFor({ timeout: 10_000 });
  await pick(page, 'FIRST-HOLD tell me about gears');
  await pick(page, 'Markdown');
  // code-server's save dialog is VS Code's own: a path in a quick input.
  const target = path.join(workspace, 'exported-chat.md');
  const box = page.locator('.quick-input-widget input.input');
  // It fills in the chat's own file name once it has read the folder: typing before that is overwritten.
  await page.waitForFunction(() => document.querySelector('.quick-input-widget input.input')?.value.endsWith('.md'));
  await box.fill(target);
  await saveScreenshot(page, 'chat-history-export-dialog-dark.png');
  await box.press('Enter');
  await notification(page, 'exported "FIRST-HOLD tell me about gears" to exported-chat.md');
  const markdown = fs.readFileSync(target, 'utf8');
  for (const text of ['QUEUED-ZEBRA and then the bolts', THIRD_WORD, 'Answered the queued one.', 'Steered here.']) {
    assert.ok(markdown.includes(text), `the export lacks "${text}"`);
  }
});

test('@url attaches a loopback page\'s text and @codebase the chunk that defines a word; the chat shows what was attached and why', { timeout: 300_000 }, async () => {
  const input = page.locator('.quick-input-widget input.input');
  await chat().getByRole('textbox', { name: 'Message' }).click();
  await page.keyboard.type('@URL');
  await chat().getByRole('option', { name: /^URL/ }).waitFor();
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget .quick-input-title', { hasText: 'Attach a web page' }).waitFor();
  await input.fill(pageUrl());
  await input.press('Enter');
  await chat().locator('.chip', { hasText: `@url ${pageUrl()}` }).waitFor();

  await chat().getByRole('textbox', { name: 'Message' }).click();
  await page.keyboard.type('@Codebase');
  await chat().getByRole('option', { name: /^Codebase/ }).waitFor();
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget .quick-input-title', { hasText: 'Attach from the codebase' }).waitFor();
  await input.fill('frobnicateGears');
  await input.press('Enter');
  await chat().locator('.chip', { hasText: '@codebase frobnicateGears' }).waitFor();

  await chat().getByRole('textbox', { name: 'Message' }).click();
  await page.keyboard.type('WITH-CONTEXT explain both');
  await page.keyboard.press('Enter');
  await chat().locator('article.message-assistant.status-complete', { hasText: 'Read the page and the code.' }).waitFor();
  const request = JSON.stringify(asked('WITH-CONTEXT')[0].body.messages);
  assert.ok(request.includes(PAGE_LINE), 'the page\'s text did not reach the provider');
  assert.ok(!request.includes('var x = 1'), 'the page\'s script reached the provider');
  assert.ok(request.includes('gears-chunk-5150'), 'the chunk defining frobnicateGears did not reach the provider');
  const attached = chat().locator('article.message-user').last().locator('.part-file summary');
  assert.equal(await attached.count(), 2);
  assert.match(await attached.nth(1).innerText(), /@codebase frobnicateGears[\s\S]*src\/gears\.ts/);
  await inEveryTheme('chat-history-context', () => chat().locator('article.message-user').last().waitFor());
});

test('mentions keep the sentence: "Summarise @url please" typed in the composer reaches the provider as a whole sentence naming the page', { timeout: 300_000 }, async () => {
  const input = page.locator('.quick-input-widget input.input');
  await chat().getByRole('textbox', { name: 'Message' }).click();
  await page.keyboard.type('SENTENCE-CUE Summarise @URL');
  await chat().getByRole('option', { name: /^URL/ }).waitFor();
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget .quick-input-title', { hasText: 'Attach a web page' }).waitFor();
  await input.fill(pageUrl());
  await input.press('Enter');
  await chat().locator('.chip', { hasText: `@url ${pageUrl()}` }).waitFor();
  await chat().getByRole('textbox', { name: 'Message' }).press('End');
  await page.keyboard.type(' please');
  const answered = await chat().locator('article.message-assistant.status-complete').count();
  await page.keyboard.press('Enter');
  await chat().locator('article.message-assistant.status-complete').nth(answered).waitFor();
  const sent = JSON.stringify(asked('SENTENCE-CUE')[0].body.messages.findLast((m) => m.role === 'user').content);
  const words = new RegExp(`Summarise the page ${pageUrl().replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} +please`);
  assert.match(sent, words, `the provider read: ${sent.slice(0, 300)}`);
  assert.match(await chat().locator('article.message-user').last().innerText(), words, 'the chat does not show the sentence sent');
});

test('"Always allow `npm test`" runs npm test without asking and still asks for npm publish; revoked from the composer, npm test asks again', { timeout: 300_000 }, async () => {
  const marks = () => (fs.existsSync(path.join(workspace, 'tests-ran.txt')) ? fs.readFileSync(path.join(workspace, 'tests-ran.txt'), 'utf8').split('\n').filter(Boolean).length : 0);
  const card = (title) => chat().locator('.approval-card', { hasText: title });
  await send('RUN-NPM-TEST first time');
  await card('npm test').waitFor();
  await inEveryTheme('chat-history-grant-card', () => card('npm test').waitFor());
  await card('npm test').getByRole('button', { name: 'Always allow `npm test` in this workspace' }).click();
  await chat().locator('article.message-assistant.status-complete', { hasText: 'Done with npm test.' }).waitFor();
  assert.equal(marks(), 1);

  // The grant lets the same command through: no card, and the composer lists it.
  await send('RUN-NPM-TEST second time');
  await chat().locator('article.message-assistant.status-complete', { hasText: 'Done with npm test.' }).nth(1).waitFor();
  assert.equal(marks(), 2, 'npm test did not run again');
  assert.equal(await chat().locator('.approval-card').count(), 0, 'npm test asked again under its grant');
  const list = chat().locator('details.auto-approved');
  await list.locator('summary').click();
  const grant = list.getByRole('group', { name: 'bash `npm test`, in this workspace' });
  await grant.waitFor();
  await inEveryTheme('chat-history-runs-without-asking', async () => {
    if (!await grant.isVisible()) await list.locator('summary').click();
    await grant.waitFor();
  });

  // Another command of the same tool still asks: denied here.
  await send('RUN-NPM-PUBLISH now');
  await card('npm publish').waitFor();
  await card('npm publish').getByRole('button', { name: /^Deny/ }).click();
  await chat().locator('article.message-assistant.status-complete', { hasText: 'Done with npm publish.' }).waitFor();

  // Revoked from the composer: npm test asks again.
  if (!await grant.isVisible()) await list.locator('summary').click();
  await grant.getByRole('button', { name: /^Revoke: bash `npm test` in this workspace/ }).click();
  await grant.waitFor({ state: 'detached' });
  await send('RUN-NPM-TEST third time');
  await card('npm test').waitFor();
  await card('npm test').getByRole('button', { name: /^Deny/ }).click();
  assert.equal(marks(), 2);
});
