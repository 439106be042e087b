// End to end: one change feed for every record, in the packaged VSIX in code-server beside the real `plue` command
// line on the same PLUE_HOME. A provider instance added and disabled from a terminal shows in the Providers view with
// no refresh; its settings form, open, follows a change made from the terminal and keeps what the user typed; a save
// from the form is one request (codex/update: the form applies the record it returns, nothing is read again) and the
// view follows it by codex/changed. A task started from a user's template that tags its records is found by that tag
// in the Channels view (Filter by Tag), an untagged chat is not, and Clear Tag Filter lists both again. A form whose
// record is removed from the terminal says so. With the Providers, MCP Servers and Channels views, the settings home and
// forms open, a save of a provider instance, a chat, a task template's record and an MCP server is exactly one request
// in the full trace (every method), and records changed by `plue` reach every open view with no request at all.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before } from 'node:test';
import { repoRoot } from '../support/codeServer.mjs';
import { filesUnder } from '../support/secrets.mjs';
import { startFakeOpenAI } from './support/fakeOpenAI.mjs';
import { contextMenu, openWorkbench, runCommand, runCommandToPick, saveScreenshot, settingsTab, showPlue, test, visibleWebview } from './support/workbench.mjs';

const { startSidecar } = createRequire(import.meta.url)('../node/support/sidecar.js');
const { plue: runPlue } = createRequire(import.meta.url)('../node/support/plue.js');

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'plue-records-e2e-'));
const workspace = path.join(scratch, 'records-project');
const home = path.join(scratch, 'plue-home');
const apiKey = 'sk-records-e2e-key-123';

/** `plue <args>` as a user's shell runs it, on the window's PLUE_HOME; resolves {code, stdout, stderr}. */
function plue(args) {
  return runPlue(args, { home, cwd: workspace, vaultKey: null, timeoutMs: 120_000, env: { RECORDS_E2E_KEY: apiKey } });
}

let workbench;
let page;
let provider;

before(async () => {
  fs.mkdirSync(workspace, { recursive: true });
  fs.writeFileSync(path.join(workspace, 'README.md'), '# A project whose records change from two places\n');
  // A user's own task template whose `tags` field tags every task made from it.
  fs.mkdirSync(path.join(home, 'templates'), { recursive: true });
  fs.writeFileSync(path.join(home, 'templates', 'task-release-notes.json5'), `{
    id: "task-release-notes", name: "Release notes", description: "Drafts the release notes.", version: 1, parent_template: "task",
    fields: { tags: { type: "array", label: "Tags", items: { type: "text" }, default: ["release"] } },
  }`);
  provider = await startFakeOpenAI({ replies: [{ text: 'Done: nothing to change.' }] });
  workbench = await openWorkbench({ scratch, folder: workspace, settings: { 'plue.trace.server': 'verbose' }, env: { PLUE_HOME: home } });
  page = workbench.page;
  await showPlue(page);
}, { timeout: 150_000 });

after(async () => {
  await workbench?.close();
  await provider?.close();
  fs.rmSync(scratch, { recursive: true, force: true });
}, { timeout: 30_000 });

const slowTest = (name, body) => test(name, { timeout: 180_000 }, body);
const providerRow = name => page.locator('.pane', { hasText: 'Providers' }).getByRole('treeitem', { name: new RegExp(`^${name}`) });
const channels = () => page.locator('.pane', { hasText: 'Channels' });
const channelRow = title => channels().getByRole('treeitem', { name: new RegExp(`^${title}`) });

/** The requests the "Plue Trace" channel has logged so far (its verbose trace names each one sent). */
function tracedRequests() {
  const trace = filesUnder(workbench.server.dirs.data).filter(f => f.endsWith('Plue Trace.log')).map(f => fs.readFileSync(f, 'utf8')).join('\n');
  return [...trace.matchAll(/Sending request '([^ ']+)/g)].map(m => m[1]);
}

async function ok(args) {
  const run = await plue(args);
  assert.equal(run.code, 0, `plue ${args.join(' ')}: ${run.stderr}${run.stdout}`);
  return run;
}

slowTest('a provider instance added and disabled by `plue` shows in the Providers view without a refresh', async () => {
  await ok(['instances', 'add', 'openai', '--name', 'Terminal Loop', '--endpoint', provider.endpoint, '--key-env', 'RECORDS_E2E_KEY']);
  await providerRow('Terminal Loop').waitFor();
  await ok(['instances', 'disable', 'Terminal Loop']);
  await page.waitForFunction(() => [...document.querySelectorAll('.pane [role="treeitem"]')]
    .some(item => /^Terminal Loop/.test(item.getAttribute('aria-label') ?? '') && /disabled/.test(item.textContent ?? '')));
  await saveScreenshot(page, 'records-e2e-providers-from-cli.png');
});

slowTest('an open settings form follows its record changed by `plue`; a save is one request and the view follows it', async () => {
  await contextMenu(page, providerRow('Terminal Loop'), 'Edit Provider Instance', { shows: settingsTab(page, 'Terminal Loop') });
  const form = visibleWebview(page);
  const enabled = form.locator('.settings-field[data-field="enabled"] input[type="checkbox"]');
  await enabled.waitFor();
  assert.equal(await enabled.isChecked(), false, 'the form shows the instance disabled, as the command line left it');
  // Typed and not saved: kept when the record changes elsewhere.
  await form.getByLabel('Request timeout (ms)').fill('45000');

  await ok(['instances', 'enable', 'Terminal Loop']);
  await form.locator('.settings-field[data-field="enabled"] input[type="checkbox"]:checked').waitFor();
  await form.getByText('Changed elsewhere').waitFor();
  assert.equal(await form.getByLabel('Request timeout (ms)').inputValue(), '45000', 'what the user typed was dropped by the redraw');
  await saveScreenshot(page, 'records-e2e-form-followed.png');

  await form.getByLabel('Name', { exact: true }).fill('Renamed Loop');
  const sent = await requestsDuring(async () => {
    await form.getByRole('button', { name: 'Save', exact: true }).click();
    await form.getByText('Saved.').waitFor();
    await providerRow('Renamed Loop').waitFor();
    await page.waitForFunction(() => [...document.querySelectorAll('.pane [role="treeitem"]')]
      .every(item => !/^Terminal Loop/.test(item.getAttribute('aria-label') ?? '')));
  });
  assert.deepEqual(sent, ['codex/update'], `the save is one request and nothing reads anything again; the full trace after Save: ${sent.join(', ')}`);
  assert.equal(await form.getByLabel('Request timeout (ms)').inputValue(), '45000');
  assert.equal(await form.locator('.settings-field[data-field="enabled"] input[type="checkbox"]').isChecked(), true, 'the save kept the change made elsewhere');
  await saveScreenshot(page, 'records-e2e-form-saved.png');
  await page.keyboard.press('Escape');
});

slowTest('a task started from a tagged template is found by its tag in the Channels view', async () => {
  await ok(['ask', 'E2E-UNTAGGED-CHAT: anything new?', '-i', 'Renamed Loop']);
  await ok(['task', 'run', 'task-release-notes', 'E2E-TAGGED-TASK: draft the notes', '-i', 'Renamed Loop']);
  await channelRow('E2E-UNTAGGED-CHAT').waitFor({ timeout: 60_000 });
  await channelRow('E2E-TAGGED-TASK').waitFor({ timeout: 60_000 });

  await runCommandToPick(page, 'Plue: Filter by Tag...', 'release');
  await channels().getByText('Tagged release').waitFor();
  await channelRow('E2E-UNTAGGED-CHAT').waitFor({ state: 'detached' });
  assert.equal(await channelRow('E2E-TAGGED-TASK').isVisible(), true, 'the tagged task is listed under the filter');
  await saveScreenshot(page, 'records-e2e-channels-tagged.png');

  await runCommand(page, 'Plue: Clear Tag Filter');
  await channelRow('E2E-UNTAGGED-CHAT').waitFor();
  assert.equal(await channelRow('E2E-TAGGED-TASK').isVisible(), true);
});

const mcpRow = name => page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'MCP Servers' }) }).getByRole('treeitem', { name: new RegExp(`^${name}`) });
const homeTab = () => page.locator('.tab', { hasText: 'Plue Settings' });

/** Waits until the trace has logged no new request for `quietMs`; returns how many it holds. */
async function quietTrace(quietMs = 2_000) {
  let count = tracedRequests().length;
  let since = Date.now();
  while (Date.now() - since < quietMs) {
    await page.waitForTimeout(250);
    const now = tracedRequests().length;
    if (now !== count) [count, since] = [now, Date.now()];
  }
  return count;
}

/** Every request the window sent (the full trace, every method) while `act` ran and until the trace went quiet after it. */
async function requestsDuring(act) {
  const before = await quietTrace();
  await act();
  await quietTrace();
  return tracedRequests().slice(before);
}

/** The settings home on screen (its tab, opened by Open Settings). */
async function showHome() {
  await homeTab().click();
  const home = visibleWebview(page);
  await home.locator('.settings-heading', { hasText: 'Plue Settings' }).waitFor();
  return home;
}

/** Opens a record's form from the settings home (a panel of its own: the home stays open); returns the form. */
async function openFromHome(title) {
  const home = await showHome();
  await home.getByRole('button', { name: new RegExp(`^Open ${title}`) }).first().click();
  const form = visibleWebview(page);
  await form.locator('.settings-heading', { hasText: title }).waitFor();
  return form;
}

slowTest('with every view and the settings home open, a save from a form is one request and no view reads anything after it', async () => {
  // An MCP server made through codex/create, the door scripts use, by another sidecar on the same PLUE_HOME.
  const script = startSidecar({ home });
  try {
    await script.initialize();
    await script.connection.sendRequest('codex/create', {
      templateId: 'mcp-server', title: 'Records Tool',
      fields: { transport: 'stdio', command: 'node', args: [path.join(repoRoot, 'tests/Plue.Server.Tests/Agents/Tools/Fixtures/mcp-fixture-server.js')] },
    });
  } finally {
    await script.stop();
  }
  await showPlue(page);
  await providerRow('Renamed Loop').waitFor();
  await mcpRow('Records Tool').waitFor();
  await channelRow('E2E-UNTAGGED-CHAT').waitFor();
  await runCommand(page, 'Plue: Open Settings');
  await showHome();

  const saves = [
    { what: 'a provider instance', title: 'Renamed Loop', edit: form => form.getByLabel('Request timeout (ms)').fill('50000'), shows: async () => {} },
    { what: 'a chat', title: 'E2E-UNTAGGED-CHAT', edit: form => form.locator('#record-title').fill('Renamed chat'), shows: () => channelRow('Renamed chat').waitFor() },
    { what: 'a task template\'s record', title: 'E2E-TAGGED-TASK', edit: form => form.locator('#record-title').fill('Renamed task'), shows: () => channelRow('Renamed task').waitFor() },
    { what: 'an MCP server', title: 'Records Tool', edit: form => form.locator('#record-title').fill('Renamed Tool'), shows: () => mcpRow('Renamed Tool').waitFor() },
  ];
  for (const save of saves) {
    const form = await openFromHome(save.title);
    await save.edit(form);
    const sent = await requestsDuring(async () => {
      await form.getByRole('button', { name: 'Save', exact: true }).click();
      await form.getByText('Saved.').waitFor();
      await save.shows();
    });
    assert.deepEqual(sent, ['codex/update'], `the save of ${save.what} is one request and no open view reads anything after it; the trace after Save: ${sent.join(', ')}`);
    await page.keyboard.press('Escape');
  }
  const settingsHome = await showHome();
  for (const title of ['Renamed chat', 'Renamed task', 'Renamed Tool']) await settingsHome.getByRole('button', { name: new RegExp(`^Open ${title}`) }).waitFor();
  await saveScreenshot(page, 'records-e2e-saves-counted.png');

  // Changed by `plue` in a terminal: every open view follows the feed, and the window sends nothing.
  const form = await openFromHome('Renamed Loop');
  const fromTerminal = await requestsDuring(async () => {
    await ok(['ask', 'E2E-TERMINAL-CHAT: one more?', '-i', 'Renamed Loop']);
    await ok(['instances', 'disable', 'Renamed Loop']);
    await form.locator('.settings-field[data-field="enabled"] input[type="checkbox"]:not(:checked)').waitFor();
    await page.waitForFunction(() => [...document.querySelectorAll('.pane [role="treeitem"]')]
      .some(item => /^Renamed Loop/.test(item.getAttribute('aria-label') ?? '') && /disabled/.test(item.textContent ?? '')));
    await channelRow('E2E-TERMINAL-CHAT').waitFor({ timeout: 60_000 });
    await (await showHome()).getByRole('button', { name: /^Open E2E-TERMINAL-CHAT/ }).waitFor();
  });
  assert.deepEqual(fromTerminal, [], `records changed by \`plue\` reach every open view by the feed alone; the window sent: ${fromTerminal.join(', ')}`);
  await ok(['instances', 'enable', 'Renamed Loop']);
  await providerRow('Renamed Loop').waitFor();
});

slowTest('an open settings form whose record `plue` removes says so, and the Providers view drops the row', async () => {
  await contextMenu(page, providerRow('Renamed Loop'), 'Edit Provider Instance', { shows: settingsTab(page, 'Renamed Loop') });
  const form = visibleWebview(page);
  await form.getByLabel('Name', { exact: true }).waitFor();
  await ok(['instances', 'remove', 'Renamed Loop', '--yes']);
  await form.getByText('This record was deleted elsewhere').waitFor();
  await providerRow('Renamed Loop').waitFor({ state: 'detached' });
  await saveScreenshot(page, 'records-e2e-form-deleted.png');
  await page.keyboard.press('Escape');
});
