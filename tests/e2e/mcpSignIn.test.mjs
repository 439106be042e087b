// End to end: a remote MCP server behind OAuth, added through the UI of the packaged VSIX in code-server. Add MCP
// Server takes a name and the server's URL and tests it; the sidecar asks the extension to open the sign-in page, which
// VS Code opens as a new browser tab; "Allow" there redirects to the sidecar's loopback listener, and the MCP Servers
// view shows the server with its tool. Once the server stops taking the access token, testing it again refreshes the
// token with no second sign-in page, and so does a task granted the server (through Run Task) calling its tool, allowed
// from the approval notification, against a loopback OpenAI-compatible provider. Every token issued (and the client
// secret) is then in the vault only: not in any other file of PLUE_HOME (the database included), nor in code-server's
// files (the logs, with a verbose trace on). Signed in, the server's resource is offered by the chat composer's `@` menu
// and reaches the model when picked, its prompt fills the composer from the `/` menu, and its `confirm` tool, called by
// a task, asks the user through VS Code's quick input (elicitation) and gets the answers.
// Needs artifacts/plue-vscode.vsix.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before } from 'node:test';
import { filesUnder, leaks } from '../faults/support/processes.mjs';
import { loopbackResources, startRemoteMcp } from '../support/remoteMcp.mjs';
import { pageText } from '../support/secrets.mjs';
import { startFakeOpenAI } from './support/fakeOpenAI.mjs';
import { contextMenu, fillAddProvider, notification, openWorkbench, pick, pickModel, runCommand, runTask, saveScreenshot, showPlue, test, visibleWebview } from './support/workbench.mjs';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'plue-e2e-mcp-signin-'));
const plueHome = path.join(scratch, 'plue-home');
const workspace = path.join(scratch, 'sample-project');
const TITLE = 'Loopback Remote';
const ECHO = 'mcp__loopback-remote__echo';
const CONFIRM = 'mcp__loopback-remote__confirm';
const LIMITS = loopbackResources.find(r => r.title === 'Rate limits');

/**
 * A task calls the remote echo once with the word after E2E-ECHO in its goal (or the confirm tool, for E2E-CONFIRM),
 * then says what it heard; anything else (a chat) gets a plain answer.
 */
function respond(body) {
  const tool = body.messages.find(m => m.role === 'tool');
  if (tool) return { text: `Heard: ${tool.content}` };
  const goal = JSON.stringify(body.messages.find(m => m.role === 'user')?.content ?? '');
  if (goal.includes('E2E-CONFIRM')) return { toolCalls: [{ name: CONFIRM, arguments: { what: 'the site' } }] };
  const word = /E2E-ECHO (\w+)/.exec(goal)?.[1];
  return word ? { toolCalls: [{ name: ECHO, arguments: { text: word } }] } : { text: 'Noted.' };
}

let remote;
let provider;
let workbench;
let page;
/** The browser tabs VS Code opened besides the workbench: the sign-in pages. */
const opened = [];


before(async () => {
  fs.mkdirSync(workspace);
  fs.writeFileSync(path.join(workspace, 'README.md'), '# Sample project\n');
  // The authorization server on 127.0.0.2, as one elsewhere would be: code-server opens 127.0.0.1 pages through its proxy.
  remote = await startRemoteMcp({ confirmTool: true, authHost: '127.0.0.2' });
  provider = await startFakeOpenAI({ respond });
  workbench = await openWorkbench({ scratch, folder: fs.realpathSync(workspace), settings: { 'plue.trace.server': 'verbose' }, env: { PLUE_HOME: plueHome } });
  page = workbench.page;
  page.context().on('page', tab => opened.push(tab));
}, { timeout: 120_000 });

after(async () => {
  await workbench?.close();
  await remote?.close();
  await provider?.close();
  fs.rmSync(scratch, { recursive: true, force: true });
}, { timeout: 30_000 });

function mcpView() {
  return page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'MCP Servers' }) });
}

/** The server's row once its description shows `state` (the row redraws after a test's notification). */
function serverRow(state) {
  return mcpView().getByRole('treeitem', { name: new RegExp(TITLE) }).filter({ hasText: state });
}

async function screenshot(target, name) {
  await target.mouse.move(700, 450);
  assert.deepEqual(leaks([[name, await pageText(target, { passwords: true })]], remote.secrets), [], `the page shows a token when ${name} is taken`);
  await saveScreenshot(target, name);
}

test('Add MCP Server with a URL signs in in a browser tab: Allow returns to the sidecar, and the view shows the server with its tools', { timeout: 120_000 }, async () => {
  await showPlue(page);
  await mcpView().getByText('No MCP servers yet.').waitFor();
  await runCommand(page, 'Plue: Add MCP Server');
  const input = page.locator('.quick-input-widget input.input');
  await page.locator('.quick-input-widget .quick-input-title', { hasText: 'name' }).waitFor();
  await input.fill(TITLE);
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget .quick-input-title', { hasText: 'command or URL' }).waitFor();
  await input.fill(remote.url);
  await page.keyboard.press('Enter');

  // The sidecar asks for the sign-in; VS Code opens the authorization server's page in a new tab.
  await page.locator('.notifications-toasts .notification-toast', { hasText: `Sign in to ${TITLE} in your browser` }).waitFor();
  await screenshot(page, 'mcp-signin-1-asked.png');
  // VS Code's link protection asks before it opens a site not on its trusted list; the user opens it.
  const protection = page.locator('.monaco-dialog-box', { hasText: 'open the external website' });
  await waitFor(async () => opened.length === 1 || await protection.isVisible(), 'VS Code opens the sign-in page, or asks first');
  if (opened.length === 0) {
    assert.match(await protection.innerText(), new RegExp(remote.issuer.replaceAll('.', '\\.')));
    await screenshot(page, 'mcp-signin-2-open-site.png');
    await protection.getByRole('button', { name: 'Open', exact: true }).click();
    await waitFor(() => opened.length === 1, 'VS Code opens the sign-in page in a browser tab');
  }
  const signIn = opened[0];
  const allow = signIn.getByRole('link', { name: 'Allow' });
  await allow.waitFor().catch(async error => {
    throw new Error(`The sign-in tab (${signIn.url()}) shows no Allow link: ${(await signIn.content().catch(() => '')).slice(0, 500)}`, { cause: error });
  });
  await signIn.setViewportSize({ width: 1000, height: 500 });
  await screenshot(signIn, 'mcp-signin-3-consent.png');
  await allow.click();

  // The authorization server redirects to the sidecar's listener on 127.0.0.1, which says so.
  await signIn.getByText('Signed in').waitFor();
  assert.match(signIn.url(), /^http:\/\/127\.0\.0\.1:\d+\/callback\?/);
  await screenshot(signIn, 'mcp-signin-4-returned.png');

  assert.match(await notification(page, new RegExp(`${TITLE} (works|failed)`)), new RegExp(`${TITLE} works: 2 tools\\.`));
  await serverRow(/2 tools/).waitFor();
  await screenshot(page, 'mcp-signin-5-view.png');
  assert.deepEqual([remote.seen.registrations, remote.seen.authorizations, remote.seen.grants], [1, 1, ['authorization_code']]);
});

test('An access token the server no longer takes is refreshed when the server is tested again: no second sign-in page', { timeout: 60_000 }, async () => {
  await runCommand(page, 'Notifications: Clear All Notifications');
  const unauthorized = remote.seen.unauthorized;
  remote.expireAccess();

  await contextMenu(page, serverRow(/2 tools/), 'Test MCP Server');
  assert.match(await notification(page, new RegExp(`${TITLE} (works|failed)`)), new RegExp(`${TITLE} works: 2 tools\\.`));
  await screenshot(page, 'mcp-signin-6-refreshed.png');
  assert.ok(remote.seen.unauthorized > unauthorized, 'the server refused the expired token');
  assert.deepEqual(remote.seen.grants, ['authorization_code', 'refresh_token']);
  assert.equal(remote.seen.authorizations, 1, 'a refresh needs no sign-in');
  assert.equal(opened.length, 1, 'no second sign-in page opened');
});

test('A task granted the server calls its tool after the access token expired: refreshed, no second sign-in page', { timeout: 150_000 }, async () => {
  const toast = text => page.locator('.notifications-toasts .notification-toast', { hasText: text });
  await runCommand(page, 'Plue: Add Provider Instance');
  await fillAddProvider(page, { provider: 'Groq', name: 'Loopback Groq', endpoint: provider.endpoint, key: 'gsk_mcp_signin_e2e_key_123' });
  await notification(page, 'Loopback Groq works');
  await runCommand(page, 'Notifications: Clear All Notifications');
  remote.expireAccess();

  await runTask(page, { template: 'Task', goal: 'E2E-ECHO refreshed', instance: 'Loopback Groq', model: 'Kimi K2 0905' });
  // Run Task asks which MCP servers the task may use; none is picked beforehand.
  await page.locator('.quick-input-widget .quick-input-title', { hasText: 'MCP servers' }).waitFor();
  await page.locator('.quick-input-list .monaco-list-row', { hasText: TITLE }).click();
  await page.locator('.quick-input-list .monaco-list-row[aria-checked="true"]', { hasText: TITLE }).waitFor();
  await page.keyboard.press('Enter');

  // The server is not trusted: the call asks first.
  const ask = toast('Use echo (MCP server loopback-remote)');
  await ask.waitFor({ timeout: 60_000 });
  await screenshot(page, 'mcp-signin-7-tool-call.png');
  await ask.getByRole('button', { name: 'Allow', exact: true }).click();
  await waitFor(() => provider.chats().some(c => c.body.messages.some(m => m.role === 'tool')), 'the tool\'s result reaches the model', 60_000);

  const result = provider.chats().find(c => c.body.messages.some(m => m.role === 'tool')).body.messages.find(m => m.role === 'tool');
  assert.equal(result.content, 'remote echo: refreshed');
  assert.deepEqual(remote.seen.calls.map(c => c.tool), ['echo']);
  assert.equal(remote.seen.calls[0].token, remote.issued.at(-2), 'the call carried the newest access token');
  assert.deepEqual(remote.seen.grants, ['authorization_code', 'refresh_token', 'refresh_token']);
  assert.equal(remote.seen.authorizations, 1, 'a refresh needs no sign-in');
  assert.equal(opened.length, 1, 'no second sign-in page opened');
  // The task's panel shows the answer the tool's result led to.
  await visibleWebview(page).getByText('Heard: remote echo: refreshed').waitFor();
  await screenshot(page, 'mcp-signin-8-task-done.png');
});

/** The quick input's step once its title is `title` (an elicitation's: the server's name and the step's number). */
function quickInputTitled(title) {
  return page.locator('.quick-input-widget .quick-input-title', { hasText: title });
}

test('The server\'s resource, picked from the chat composer\'s @ menu by its title, is read and reaches the model; its prompt fills the composer from the / menu', { timeout: 120_000 }, async () => {
  await runCommand(page, 'Notifications: Clear All Notifications');
  await runCommand(page, 'Plue: New Chat with Model');
  await pickModel(page, 'Loopback Groq', 'Kimi K2 0905');
  const frame = visibleWebview(page);
  // The empty chat says what @ and / offer.
  await frame.locator('.empty-hint', { hasText: 'an MCP server\'s resource, / for an MCP server\'s prompts' }).waitFor();
  const input = frame.getByRole('textbox', { name: 'Message' });
  await input.click();
  await page.keyboard.type('@Rate');
  const option = frame.getByRole('option', { name: /Rate limits/ });
  await option.waitFor();
  assert.match(await option.innerText(), new RegExp(TITLE), 'the menu names the resource\'s server');
  await screenshot(page, 'mcp-e2e-1-resource-menu.png');
  await page.keyboard.press('Enter');
  await frame.locator('.chip', { hasText: 'Rate limits' }).waitFor();
  await page.keyboard.type('What are the limits?');
  await page.keyboard.press('Enter');
  await frame.locator('article.message-assistant.status-complete', { hasText: 'Noted.' }).waitFor();
  await screenshot(page, 'mcp-e2e-2-resource-sent.png');
  const sent = JSON.stringify(provider.chats().at(-1).body.messages);
  assert.ok(sent.includes(LIMITS.text), `the resource's text did not reach the model: ${sent.slice(0, 500)}`);
  assert.match(sent, /What are the limits\?/);
  assert.deepEqual(remote.seen.reads, [LIMITS.uri]);

  // `/` at the start of the message offers the server's prompt; its argument is asked in an input box.
  await input.click();
  await page.keyboard.type('/Review');
  await frame.getByRole('option', { name: /Review a file/ }).waitFor();
  await screenshot(page, 'mcp-e2e-3-prompt-menu.png');
  await page.keyboard.press('Enter');
  const box = page.locator('.quick-input-widget input.input');
  await quickInputTitled(`${TITLE}: Review a file (1/2)`).waitFor();
  await box.fill('README.md');
  await screenshot(page, 'mcp-e2e-4-prompt-argument.png');
  await box.press('Enter');
  await quickInputTitled(`${TITLE}: Review a file (2/2)`).waitFor();
  await box.press('Enter');
  await waitFor(async () => (await input.inputValue()).includes('Review README.md.'), 'the prompt\'s text fills the composer');
  assert.match(await input.inputValue(), /^Review README\.md\.\n\nAssistant: I will read it and list the problems I find\.$/);
  await screenshot(page, 'mcp-e2e-5-prompt-filled.png');
});

test('A task calling the server\'s confirm tool asks the user in quick inputs titled with the server\'s name; the answers reach the server and the tool\'s result the model', { timeout: 150_000 }, async () => {
  await runCommand(page, 'Notifications: Clear All Notifications');
  const toast = text => page.locator('.notifications-toasts .notification-toast', { hasText: text });
  await runTask(page, { template: 'Task', goal: 'E2E-CONFIRM deploy the site', instance: 'Loopback Groq', model: 'Kimi K2 0905' });
  await quickInputTitled('MCP servers').waitFor();
  await page.locator('.quick-input-list .monaco-list-row', { hasText: TITLE }).click();
  await page.locator('.quick-input-list .monaco-list-row[aria-checked="true"]', { hasText: TITLE }).waitFor();
  await page.keyboard.press('Enter');
  const ask = toast('Use confirm (MCP server loopback-remote)');
  await ask.waitFor({ timeout: 60_000 });
  await ask.getByRole('button', { name: 'Allow', exact: true }).click();

  // The server's question: Answer or Decline, then one step per field of its form.
  await quickInputTitled(`${TITLE} (1/5)`).waitFor({ timeout: 60_000 });
  // The server's question is the box's placeholder, above its two choices.
  assert.match(await page.locator('.quick-input-widget input.input').getAttribute('placeholder'), /^Deploy the site\?$/);
  await screenshot(page, 'mcp-e2e-6-elicit-answer.png');
  await pick(page, 'Answer');
  await quickInputTitled(`${TITLE} (2/5)`).waitFor();
  await screenshot(page, 'mcp-e2e-7-elicit-choice.png');
  await pick(page, 'staging');
  const box = page.locator('.quick-input-widget input.input');
  await quickInputTitled(`${TITLE} (3/5)`).waitFor();
  await box.fill('2');
  await box.press('Enter');
  await quickInputTitled(`${TITLE} (4/5)`).waitFor();
  await pick(page, 'Yes');
  await quickInputTitled(`${TITLE} (5/5)`).waitFor();
  await box.press('Enter'); // the note is optional: left empty, it is not sent

  const answered = { environment: 'staging', replicas: 2, notify: true };
  const toolMessage = () => provider.chats().map(c => c.body.messages.find(m => m.role === 'tool' && String(m.content).includes('deploying'))).find(Boolean);
  await waitFor(toolMessage, 'the confirm tool\'s result reaches the model', 60_000);
  assert.equal(toolMessage().content, `deploying with ${JSON.stringify(answered)}`);
  assert.deepEqual(remote.seen.elicitations, [{ action: 'accept', content: answered }]);
  await visibleWebview(page).getByText('Heard: deploying with').waitFor();
  await screenshot(page, 'mcp-e2e-8-elicit-done.png');
});

test('Every token issued is in the vault only: not in PLUE_HOME\'s other files (the database included) nor in code-server\'s logs', { timeout: 60_000 }, async () => {
  const vault = filesUnder(plueHome).filter(([file]) => path.basename(file) === 'vault.bin');
  assert.equal(vault.length, 1, 'the vault holds the tokens');
  assert.ok(filesUnder(plueHome).some(([file]) => /\.db$/.test(file)), 'the database is among the files scanned');
  // code-server's files hold the sidecar's verbose trace: stop it first so everything it wrote is on disk.
  const codeServer = workbench.server.dir;
  await workbench.close();
  workbench = undefined;
  page = undefined;
  const places = [...filesUnder(plueHome), ...filesUnder(codeServer)].map(([file, bytes]) => [path.relative(scratch, file), bytes]);
  assert.ok(places.some(([file, bytes]) => /plue/i.test(file) && bytes.includes('mcp/tools')), 'the verbose trace of the sidecar is among the files scanned');
  assert.deepEqual(leaks(places, remote.secrets), [], 'a token, code or client secret outside the vault (or in it in clear)');
});

async function waitFor(condition, what, timeout = 30_000) {
  const deadline = Date.now() + timeout;
  while (!await condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out: ${what}`);
    await new Promise(resolve => setTimeout(resolve, 100));
  }
}
