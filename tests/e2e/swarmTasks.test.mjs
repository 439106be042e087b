// End to end: a task tree whose sub-task runs as a job on a real Docker Swarm (tests/support/docker-swarm.mjs: a
// manager and two workers, each worker in a network namespace of its own, and a registry the nodes pull from), in the
// packaged extension inside code-server, answered by a loopback OpenAI-compatible server the namespaces reach. The job
// runs the sidecar's own Native AOT binary from the runner image Plue builds and pushes (nothing named by the test).
// The user adds the swarm through Add Docker Engine's form and tests it, runs an orchestrator with Run Task → Where →
// "Jobs on the swarm Cluster"; its sub-task, Night shift, asks before its bash (inside a job only rules decide: the job
// ends waiting), is allowed in its panel's card, and starts again as a job on a node. The row says the node; its
// tooltip and the task panel's header say where the job runs, that the swarm holds the key meanwhile (four themes); an
// interrupt removes the service and nothing is left on the swarm. docs/CLUSTERS.md, "In the window".
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before } from 'node:test';
import { api, startSwarm, swarmSkip } from '../support/docker-swarm.mjs';
import { startFakeOpenAI } from './support/fakeOpenAI.mjs';
import { contextMenu, fillAddProvider, inEveryTheme, notification, openFromTree, openWorkbench, pick, rowTooltip, runCommand, runCommandToPick, runTask, saveScreenshot, showPlue, test, until, visibleWebview } from './support/workbench.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The packaged sidecar's build: the runner base image gets the libraries it loads (the VSIX carries the same file). */
const sidecar = process.env.PLUE_SIDECAR ?? path.join(root, 'dist/publish/linux-x64/plue');
const skip = swarmSkip() || (fs.existsSync(sidecar) ? false : `${sidecar} is missing: run \`npm run package\` first`);

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'plue-swarm-e2e-'));
const workspace = path.join(scratch, 'fleet');
const providerKey = 'gsk_swarm_e2e_key_0123456789';

/** One reply per request, by the goal in its first user message and by whether it has been answered. */
function respond(body) {
  const goal = JSON.stringify(body.messages.find(m => m.role === 'user')?.content ?? '');
  const answered = body.messages.some(m => m.role === 'assistant');
  if (goal.includes('E2E-SHIFT')) {
    return answered ? { text: 'The shift is over.' } : { text: 'Keeping watch on a node.', toolCalls: [{ name: 'bash', arguments: { command: 'echo watching-on-$(hostname); sleep 600' } }] };
  }
  if (goal.includes('E2E-FLEET')) {
    return answered ? { text: '## Summary\n\nThe shift was interrupted.' } : {
      text: 'One watcher, as a job on the swarm.',
      toolCalls: [{ name: 'spawn_task', arguments: { template: 'task-code-writer', title: 'Night shift', goal: 'E2E-SHIFT: keep watch on a node' } }],
    };
  }
  return { text: 'No script for this goal.' };
}

let swarm;
let base;
let workbench;
let page;
let provider;

before(async () => {
  if (skip) return;
  // Each engine in a mount namespace of its own (swarmTree.test.mjs says why: a job's secrets mount going away while a
  // sandboxed git here binds / would fail it).
  swarm = await startSwarm({ workers: 2, ownMounts: true });
  base = await swarm.pushImage({ git: true, programs: ['/bin/bash'], librariesFor: [sidecar, path.join(path.dirname(sidecar), 'libe_sqlite3.so'), '/usr/lib/x86_64-linux-gnu/libssl.so.3'] });
  // A committed repository (a job starts from a commit), whose devcontainer names the image, as a user's project would.
  fs.mkdirSync(path.join(workspace, '.devcontainer'), { recursive: true });
  fs.writeFileSync(path.join(workspace, '.devcontainer/devcontainer.json'), `// the fleet's dev container\n{ "name": "fleet", "image": "${base}", }\n`);
  fs.writeFileSync(path.join(workspace, 'README.md'), '# Fleet\n');
  const git = (...args) => execFileSync('git', args, { cwd: workspace, stdio: 'ignore' });
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('-c', 'user.name=Fleet', '-c', 'user.email=fleet@example.invalid', 'commit', '-qm', 'The fleet');
  provider = await startFakeOpenAI({ respond, host: swarm.address });
  workbench = await openWorkbench({ scratch, folder: workspace, env: { PLUE_HOME: path.join(scratch, 'plue-home') } });
  page = workbench.page;
}, { timeout: 300_000 });

after(async () => {
  await workbench?.close();
  await provider?.close();
  await swarm?.stop();
  fs.rmSync(scratch, { recursive: true, force: true });
}, { timeout: 60_000 });

const tree = () => page.locator('.pane', { hasText: 'Channels' });
/** A task's row; its accessible name is "title, status, description". */
const row = title => tree().getByRole('treeitem', { name: new RegExp(`^${title}`) });
const panel = () => visibleWebview(page);
const form = () => visibleWebview(page);
const field = name => form().locator(`.settings-field[data-field="${name}"]`);

/** What the swarm holds for this Plue: services, secrets and configs labelled with a task, and containers on every engine. */
async function held() {
  const filters = encodeURIComponent(JSON.stringify({ label: ['plue.task'] }));
  const counts = {
    services: (await api(swarm.manager.socket, 'GET', `/services?filters=${filters}`)).length,
    secrets: (await api(swarm.manager.socket, 'GET', `/secrets?filters=${filters}`)).length,
    configs: (await api(swarm.manager.socket, 'GET', `/configs?filters=${filters}`)).length,
    containers: 0,
  };
  for (const engine of [swarm.manager, ...swarm.workers]) {
    counts.containers += (await api(engine.socket, 'GET', `/containers/json?all=1&filters=${filters}`)).length;
  }
  return counts;
}
const nothingHeld = (counts) => Object.values(counts).every(n => n === 0);


test('item 1: the swarm added through Add Docker Engine\'s form answers its test with its nodes and registry', { skip, timeout: 180_000 }, async () => {
  await runCommand(page, 'Plue: Add Provider Instance');
  await fillAddProvider(page, { provider: 'Groq', name: 'Loopback Groq', endpoint: provider.endpoint, key: providerKey });
  await notification(page, 'Loopback Groq works');

  await runCommand(page, 'Plue: Add Docker Engine');
  await form().locator('.settings-heading', { hasText: 'New Docker engine' }).waitFor();
  await form().locator('#record-title').fill('Cluster');
  await field('connection').locator('select').selectOption('host');
  await field('host').locator('input').fill(swarm.manager.host);
  await field('swarm').locator('input[type=checkbox]').check();
  await field('registry').locator('input').fill(swarm.registry);
  await page.mouse.move(5, 450);
  await saveScreenshot(page, 'swarm-tasks-e2e-engine-form.png');
  await form().getByRole('button', { name: 'Create', exact: true }).click();
  await form().locator('.settings-heading', { hasText: 'Cluster' }).waitFor();
  await form().locator('#record-title').press('Escape');

  await runCommandToPick(page, 'Plue: Test Docker Engine', 'Cluster');
  const said = await notification(page, 'Cluster works');
  assert.match(said, /Cluster works: Docker \S+ \(API 1\.\d+\), linux\/\w+, a swarm manager with 3 of 3 nodes ready \(x86_64\), pulling from 192\.168\.\d+\.1:5000, /);
});

test('item 3, 5 and 7: Run Task → Where → the swarm: a sub-task that asks waits, is allowed in its panel, and runs as a job on a node the row names; the tooltip and panel say where and that the swarm holds the key', { skip, timeout: 420_000 }, async () => {
  await showPlue(page);
  await tree().waitFor();
  await runTask(page, { template: 'Orchestrator', goal: 'E2E-FLEET: have one watcher keep watch on the swarm', instance: 'Loopback Groq', model: 'Kimi K2 0905' });
  await page.locator('.quick-input-widget .quick-input-title', { hasText: 'Run Task: Where' }).waitFor();
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Jobs on the swarm Cluster' }).waitFor();
  await pick(page, 'Jobs on the swarm Cluster');

  const orchestrator = row('E2E-FLEET');
  await orchestrator.waitFor();
  await row('Night shift').waitFor({ timeout: 60_000 });
  assert.equal(await row('Night shift').getAttribute('aria-level'), '3', 'the watcher is not under the orchestrator');

  // Its first job builds and pushes the runner image, runs its first turn on a node and ends at the bash call the
  // rules would ask about: the sub-task waits, no job holds a node, and its panel asks.
  await openFromTree(page, row('Night shift'), 'Night shift');
  const card = panel().locator('.approval-card', { hasText: 'sleep 600' });
  await card.waitFor({ timeout: 240_000 });
  await panel().getByText('Keeping watch on a node.').first().waitFor();
  assert.equal((await held()).services, 0, 'a job still holds a node while its sub-task waits for the user');
  // The card says where the command will run (not this machine's sandbox), the header that no job runs meanwhile, and
  // the call waits as a local task's asked call does (no stand-in result from the job that stopped).
  assert.equal((await card.locator('.approval-sandbox').innerText()).trim(), 'Runs in its job\'s container on a node of the swarm Cluster, not this machine\'s sandbox');
  await panel().locator('.task-place-state', { hasText: 'waiting for your answer (no job holds a node meanwhile)' }).waitFor();
  await panel().locator('.part-tool.tool-running', { hasText: 'bash' }).waitFor();
  assert.equal(await panel().locator('.part-tool.tool-error').count(), 0, 'the job\'s pause shows as a failed call');
  await saveScreenshot(page, 'swarm-tasks-e2e-waiting.png');
  await card.getByRole('button', { name: /^Allow .* once$/ }).click();
  await card.waitFor({ state: 'detached' });

  // Allowed, it starts again as a job, from its saved state, on a node the row names.
  const service = await until(async () => (await api(swarm.manager.socket, 'GET', `/services?filters=${encodeURIComponent(JSON.stringify({ label: ['plue.task'] }))}`))[0], 'the job\'s service runs again', 60_000);
  const running = await until(async () => (await api(swarm.manager.socket, 'GET', `/tasks?filters=${encodeURIComponent(JSON.stringify({ service: [service.ID], 'desired-state': ['running'] }))}`))
    .find(t => t.Status.State === 'running'), 'the job runs on a node', 120_000);
  const node = await api(swarm.manager.socket, 'GET', `/nodes/${running.NodeID}`);
  const description = row('Night shift').locator('.label-description', { hasText: /^on / });
  await description.waitFor({ timeout: 60_000 });
  // "on NODE · model · cost · time"
  const named = (await description.innerText()).split(' · ')[0].replace(/^on /, '');
  assert.ok(named.startsWith(node.Description.Hostname), `the row names the node ${named}, not the one running the job (${node.Description.Hostname})`);
  // The three nodes share this machine's host name, so each is told apart by the start of its id.
  assert.ok(named.includes(running.NodeID.slice(0, 12)), `the row's node ${named} is not the one running the job (${running.NodeID.slice(0, 12)})`);
  assert.ok(!JSON.stringify(service).includes(providerKey), 'the job\'s service holds the provider key');

  // The answered call runs in the new job without the model being asked to make it again.
  const shiftAsked = provider.chats().filter(r => JSON.stringify(r.body.messages.find(m => m.role === 'user')?.content ?? '').includes('E2E-SHIFT'));
  assert.equal(shiftAsked.length, 1, 'the model was asked again for the call the user allowed');
  // The task panel's header: the swarm, its node, the runner image, the key's keeper, the job's state.
  const place = panel().locator('.task-place');
  await place.filter({ hasText: 'running' }).waitFor({ timeout: 30_000 });
  const words = (await place.innerText()).replace(/\s+/g, ' ');
  for (const part of ['Job on the swarm Cluster', `node ${named}`, `${swarm.registry}/plue-runner:`, 'the swarm holds its provider key while its job runs', 'running']) {
    assert.ok(words.includes(part), `the panel's header says "${part}": ${words}`);
  }

  // The row's tooltip gives the same.
  const tip = await rowTooltip(page, row('Night shift'), 'Runs as a job on the swarm Cluster');
  assert.ok(tip.includes(`Runs as a job on the swarm Cluster, on node ${named}: ${swarm.registry}/plue-runner:`), tip);
  assert.ok(tip.includes('The swarm holds its provider key while its job runs (a secret made for the job, removed when it ends)'), tip);
  assert.ok(tip.includes('Job running'), tip);
  assert.ok(tip.includes('Code writer · '), `the tooltip names the task's template by its name: ${tip}`);
  assert.ok(!tip.includes('Sandbox:'), `a job's tooltip names this machine's sandbox, which does not apply on its node: ${tip}`);
  assert.match(tip, /Its work comes back to its own worktree: /);
  await saveScreenshot(page, 'swarm-tasks-e2e-tooltip.png');
  await page.mouse.move(700, 450);

  await inEveryTheme(page, 'swarm-tasks-e2e', async () => {
    await place.waitFor();
    await page.mouse.move(700, 450);
  });
});

test('item 4: an interrupt removes the job\'s service, secret and configs; the orchestrator ends and nothing is left on the swarm', { skip, timeout: 120_000 }, async (t) => {
  await openFromTree(page, row('Night shift'), 'Night shift');
  assert.equal((await held()).services, 1, 'the watcher\'s job is not running');
  const started = Date.now();
  await contextMenu(page, row('Night shift'), 'Interrupt Task');
  const interrupted = row('Night shift').locator('.codicon-circle-slash');
  const asked = page.locator('.quick-input-widget .quick-input-title', { hasText: 'Interrupt Task' });
  const first = await Promise.race([interrupted.waitFor().then(() => 'interrupted', () => 'neither'), asked.waitFor().then(() => 'asked', () => 'neither')]);
  if (first === 'asked') await pick(page, 'Night shift');
  let counts;
  await until(async () => nothingHeld(counts = await held()), `nothing is held on the swarm (${JSON.stringify(counts)})`, 10_000 + (first === 'asked' ? 10_000 : 0));
  t.diagnostic(`the job's service, secret, configs and container were gone ${Date.now() - started} ms after the interrupt was chosen`);
  await panel().locator('.task-place-state', { hasText: 'removed' }).waitFor({ timeout: 10_000 });
  await row('Night shift').locator('.label-description', { hasText: 'job removed on Cluster' }).waitFor({ timeout: 10_000 });
  // The call its job was running when it went is answered as a local task's interrupted call is, not left running.
  await panel().locator('.part-tool.tool-error', { hasText: 'Result of bash' }).waitFor({ timeout: 10_000 });
  assert.equal(await panel().locator('.part-tool.tool-running').count(), 0, 'a call shows running after its job is gone');
  await row('E2E-FLEET').locator('.codicon-pass').waitFor({ timeout: 60_000 });
  await page.mouse.move(700, 450);
  await saveScreenshot(page, 'swarm-tasks-e2e-done.png');
});
