// End to end: a task tree in containers on a real Docker engine (tests/support/docker-engine.mjs: Debian's dockerd and
// a tiny busybox image made with no registry), in the packaged extension inside code-server, answered by a loopback
// OpenAI-compatible server. The user adds the engine through Plue: Add Docker Engine's form and tests it, runs an
// orchestrator with Run Task → Where → "A container on Test engine"; its one sub-task, Night watch (a code writer, in a container
// too, as a container tree's sub-tasks always are) runs `sleep` in bash. The tree's rows say where each runs, the row's
// tooltip and the task panel's header give the image, short id and limits (four themes), "Open a Terminal in the
// Container" runs a typed command inside, and an interrupt removes the container. docs/CONTAINERS.md, "The window".
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before } from 'node:test';
import { labelledContainers, tinyImage, useDockerEngine } from '../support/docker-engine.mjs';
import { startFakeOpenAI } from './support/fakeOpenAI.mjs';
import { contextMenu, fillAddProvider, inEveryTheme, notification, openFromTree, openWorkbench, pick, rowTooltip, runCommand, runCommandToPick, runTask, saveScreenshot, showPlue, test, until, visibleWebview } from './support/workbench.mjs';

// Where the node suite's container tests skip (tests/node/containerTasks.test.mjs), this one does: CI installs docker.io
// (scripts/install-tools.sh test) and runs as root, so there it runs.
const skip = process.env.PLUE_TEST_DOCKER_HOST ? false
  : process.platform !== 'linux' || !['/usr/sbin/dockerd', '/usr/bin/dockerd'].some((p) => fs.existsSync(p)) ? 'no Docker engine: install Debian\'s docker.io (bash scripts/install-tools.sh test) or set PLUE_TEST_DOCKER_HOST'
    : process.getuid?.() !== 0 ? 'a private dockerd needs root: run as root, or set PLUE_TEST_DOCKER_HOST' : false;

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'plue-containers-e2e-'));
const workspace = path.join(scratch, 'harbour');

/** One reply per request, by the goal in its first user message and by how many turns it has had. */
function respond(body) {
  const goal = JSON.stringify(body.messages.find(m => m.role === 'user')?.content ?? '');
  const answered = body.messages.some(m => m.role === 'assistant');
  if (goal.includes('E2E-SLEEPER')) {
    return answered ? { text: 'Stopped sleeping.' } : { text: 'Sleeping in the container.', toolCalls: [{ name: 'bash', arguments: { command: 'echo sleeper-in-$(hostname); sleep 600' } }] };
  }
  if (goal.includes('E2E-HARBOUR')) {
    return answered ? { text: '## Summary\n\nThe sleeper was interrupted.' } : {
      text: 'One sleeper, in a container of its own.',
      toolCalls: [{ name: 'spawn_task', arguments: { template: 'task-code-writer', title: 'Night watch', goal: 'E2E-SLEEPER: sleep in the container', isolation: 'shared' } }],
    };
  }
  return { text: 'No script for this goal.' };
}

let engine;
/** The sleeper's container's short id, as its task panel shows it. */
let sleeperShort;
let workbench;
let page;
let provider;

before(async () => {
  if (skip) return;
  engine = await useDockerEngine();
  // The image comes from the workspace's devcontainer, as a user's project would name it.
  fs.mkdirSync(path.join(workspace, '.devcontainer'), { recursive: true });
  fs.writeFileSync(path.join(workspace, '.devcontainer/devcontainer.json'), `// the harbour's dev container\n{ "name": "harbour", "image": "${tinyImage}", }\n`);
  fs.writeFileSync(path.join(workspace, 'README.md'), '# Harbour\n');
  provider = await startFakeOpenAI({ respond });
  workbench = await openWorkbench({
    scratch, folder: workspace, env: { PLUE_HOME: path.join(scratch, 'plue-home') },
    // The terminal drawn with the DOM (not a canvas), so what the shell wrote can be read.
    settings: { 'terminal.integrated.gpuAcceleration': 'off' },
  });
  page = workbench.page;
}, { timeout: 180_000 });

after(async () => {
  await workbench?.close();
  await provider?.close();
  await engine?.stop();
  fs.rmSync(scratch, { recursive: true, force: true });
}, { timeout: 60_000 });

const tree = () => page.locator('.pane', { hasText: 'Channels' });
/** A task's row; its accessible name is "title, status, description". */
const row = title => tree().getByRole('treeitem', { name: new RegExp(`^${title}`) });
const panel = () => visibleWebview(page);
const form = () => visibleWebview(page);
const field = name => form().locator(`.settings-field[data-field="${name}"]`);

const labelled = (label) => labelledContainers(engine.socket, label);


test('item 6: the engine added through Add Docker Engine\'s form answers its test', { skip, timeout: 180_000 }, async () => {
  await runCommand(page, 'Plue: Add Provider Instance');
  await fillAddProvider(page, { provider: 'Groq', name: 'Loopback Groq', endpoint: provider.endpoint, key: 'gsk_containers_e2e_key_1' });
  await notification(page, 'Loopback Groq works');

  await runCommand(page, 'Plue: Add Docker Engine');
  await form().locator('.settings-heading', { hasText: 'New Docker engine' }).waitFor();
  await form().locator('#record-title').fill('Test engine');
  await field('connection').locator('select').selectOption('host');
  await field('host').locator('input').fill(engine.host);
  await page.mouse.move(5, 450);
  await saveScreenshot(page, 'task-containers-e2e-engine-form.png');
  await form().getByRole('button', { name: 'Create', exact: true }).click();
  await form().locator('.settings-heading', { hasText: 'Test engine' }).waitFor();
  await form().locator('#record-title').press('Escape');

  await runCommandToPick(page, 'Plue: Test Docker Engine', 'Test engine');
  const said = await notification(page, 'Test engine works');
  assert.match(said, /Test engine works: Docker \S+ \(API 1\.\d+\), linux\/\w+, can mount the workspace/);
});

test('item 6: Run Task → Where → a container: the tree shows each task\'s engine, the tooltip and panel its image, container and limits', { skip, timeout: 240_000 }, async () => {
  await showPlue(page);
  await tree().waitFor();
  await runTask(page, { template: 'Orchestrator', goal: 'E2E-HARBOUR: have one sleeper sleep in a container', instance: 'Loopback Groq', model: 'Kimi K2 0905' });
  await page.locator('.quick-input-widget .quick-input-title', { hasText: 'Run Task: Where' }).waitFor();
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'A container on Test engine' }).waitFor();
  assert.ok(await page.locator('.quick-input-list .monaco-list-row', { hasText: 'This machine' }).isVisible(), 'Where does not offer this machine');
  await pick(page, 'A container on Test engine');

  const orchestrator = row('E2E-HARBOUR');
  await orchestrator.waitFor();
  await row('Night watch').waitFor({ timeout: 60_000 });
  assert.equal(await row('Night watch').getAttribute('aria-level'), '3', 'the sleeper is not under the orchestrator');

  // The sleeper asks before it runs bash: allowed in its panel's card.
  await openFromTree(page, row('Night watch'), 'Night watch');
  const card = panel().locator('.approval-card', { hasText: 'sleep 600' });
  await card.waitFor({ timeout: 60_000 });
  await card.getByRole('button', { name: /^Allow .* once$/ }).click();
  await card.waitFor({ state: 'detached' });

  // Both rows say where they run; two containers run, one per task, each labelled with its task.
  for (const r of [orchestrator, row('Night watch')]) {
    await r.locator('.label-description', { hasText: 'in Test engine' }).waitFor({ timeout: 60_000 });
  }
  const containers = await until(async () => { const c = await labelled('plue.task'); return c.length === 2 && c; }, 'two containers run', 30_000);
  sleeperShort = await panel().locator('.task-place-id').innerText();
  const sleeper = containers.find(c => c.Id.startsWith(sleeperShort));
  assert.ok(sleeper, `no container of the engine has the short id ${sleeperShort} the panel shows`);
  assert.equal(sleeper.Image, tinyImage, 'the image is the workspace devcontainer\'s');

  // The task panel's header: engine, image, short id, limits, network, state.
  const place = panel().locator('.task-place');
  const words = (await place.innerText()).replace(/\s+/g, ' ');
  for (const part of ['Container on Test engine', tinyImage, sleeperShort, '2 CPUs, 2048 MiB memory, 512 processes', 'no network', 'running']) {
    assert.ok(words.includes(part), `the panel's header says "${part}": ${words}`);
  }

  // The row's tooltip gives the same (hovered until it shows: the running row's redraws can close a hover).
  const tip = await rowTooltip(page, row('Night watch'), 'Runs in a container on Test engine');
  assert.ok(tip.includes(`Runs in a container on Test engine: ${tinyImage} (${sleeperShort})`), tip);
  assert.ok(tip.includes('Limits: 2 CPUs, 2048 MiB memory, 512 processes · network: no network'), tip);
  assert.ok(tip.includes('Container running'), tip);
  await saveScreenshot(page, 'task-containers-e2e-tooltip.png');
  await page.mouse.move(700, 450);

  // The tree and the panel in each kind of theme.
  await inEveryTheme(page, 'task-containers-e2e', async () => {
    await place.waitFor();
    await page.mouse.move(700, 450);
  });
});

test('item 6: Open a Terminal in the Container runs a typed command inside, in VS Code\'s terminal', { skip, timeout: 120_000 }, async () => {
  const terminal = page.locator('.terminal-wrapper.active .xterm');
  await contextMenu(page, row('Night watch'), 'Open a Terminal in the Container', { shows: terminal });
  await page.locator('.tabs-container, .terminal-tabs-entry, .single-terminal-tab', { hasText: 'Night watch · Test engine' }).first().waitFor();
  await terminal.click();
  await page.keyboard.type('echo inside-$((6*7)) $(hostname) $(id -u)');
  await page.keyboard.press('Enter');
  const rows = page.locator('.terminal-wrapper.active .xterm-rows');
  await rows.filter({ hasText: /inside-42 [0-9a-f]{12} 1000/ }).waitFor({ timeout: 30_000 });
  const [, host] = /inside-42 ([0-9a-f]{12}) 1000/.exec(await rows.innerText());
  assert.equal(host, sleeperShort, 'the shell ran in another container than the sleeper\'s');
  await saveScreenshot(page, 'task-containers-e2e-terminal.png');
});

test('item 6: an interrupt removes the sleeper\'s container within 5 s; the orchestrator ends and no container is left', { skip, timeout: 120_000 }, async (t) => {
  await openFromTree(page, row('Night watch'), 'Night watch');
  assert.ok((await labelled('plue.task')).some(c => c.Id.startsWith(sleeperShort)), 'the sleeper\'s container is not running');
  const started = Date.now();
  await contextMenu(page, row('Night watch'), 'Interrupt Task');
  const interrupted = row('Night watch').locator('.codicon-circle-slash');
  const asked = page.locator('.quick-input-widget .quick-input-title', { hasText: 'Interrupt Task' });
  const first = await Promise.race([interrupted.waitFor().then(() => 'interrupted', () => 'neither'), asked.waitFor().then(() => 'asked', () => 'neither')]);
  if (first === 'asked') await pick(page, 'Night watch');
  await until(async () => (await labelled('plue.task')).every(c => !c.Id.startsWith(sleeperShort)), 'the sleeper\'s container is gone', 5_000 + (first === 'asked' ? 10_000 : 0));
  t.diagnostic(`the sleeper's container was removed ${Date.now() - started} ms after the interrupt was chosen`);
  await row('Night watch').locator('.label-description', { hasText: 'container removed on Test engine' }).waitFor({ timeout: 10_000 });
  await panel().locator('.task-place-state', { hasText: 'removed' }).waitFor();
  // The terminal in it closed with it.
  await page.locator('.terminal-wrapper.active .xterm-rows', { hasText: /inside-42/ }).waitFor({ state: 'detached', timeout: 15_000 });

  const orchestrator = row('E2E-HARBOUR');
  await orchestrator.locator('.codicon-pass').waitFor({ timeout: 60_000 });
  await orchestrator.locator('.label-description', { hasText: 'container removed on Test engine' }).waitFor({ timeout: 10_000 });
  await until(async () => (await labelled('plue.task')).length === 0, 'no container is left', 10_000);
  await page.mouse.move(700, 450);
  await saveScreenshot(page, 'task-containers-e2e-done.png');
});
