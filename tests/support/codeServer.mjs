// Starts and stops a private code-server (a real VS Code) for the integration
// suite, the E2E tests and `npm start`: loopback only, its own config, data,
// extensions and XDG folders, in its own process group so stop() also ends the
// extension hosts and sidecars it spawned. CONTRIBUTING.md, "Writing tests", says why code-server.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Process groups still running: ended however this process ends (exit, Ctrl+C, timeout's SIGTERM). */
const liveGroups = new Set();
process.on('exit', () => { for (const pgid of liveGroups) killGroup(pgid, 'SIGKILL'); });
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.once(signal, () => {
    for (const pgid of liveGroups) killGroup(pgid, 'SIGKILL');
    process.exit(128 + os.constants.signals[signal]);
  });
}

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** What every server here gets, `npm start`'s too: no telemetry, no updates, no prompt about the parent repository. */
const baseSettings = {
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  // The workspace lives inside this repository: without this, git offers to open the parent repository on every start.
  'git.openRepositoryInParentFolders': 'never',
};

/** What the suites add, so each test starts from a quiet window; `npm start` leaves them out, so a newcomer sees what a user sees. */
const suiteSettings = {
  'workbench.startupEditor': 'none',
  'workbench.enableExperiments': false,
  'workbench.tips.enabled': false,
  'security.workspace.trust.enabled': false,
  'chat.commandCenter.enabled': false,
  // A walkthrough opening by itself would take the editor and the focus from each test; the first-run E2E turns it on.
  'plue.walkthrough.openOnFirstRun': false,
};

/** The code-server binary, installed (once, cached) by scripts/install-tools.sh. */
export function codeServerBinary() {
  if (process.env.CODE_SERVER) return process.env.CODE_SERVER;
  const result = spawnSync('bash', [path.join(repoRoot, 'scripts/install-tools.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 15 * 60_000 });
  if (result.status !== 0) throw new Error(`scripts/install-tools.sh failed (${result.status ?? result.signal})`);
  return result.stdout.trim().split('\n').pop();
}

export async function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts code-server. Options: port (default: a free one), dir (default: a new
 * temp dir, removed on stop), workspace (folder to open), vsix (installed first),
 * settings (merged into User/settings.json), env (extra environment for the
 * server and so for its extension hosts), extensionFolders (unpacked extensions copied in), suite (default true: the
 * suites' quiet-window settings, written afresh each start; false, for `npm start`: the base settings written once,
 * then the user's own kept), workspaceTrust (default false: Workspace Trust off, every folder trusted; true: on, as a
 * user has it, a folder never trusted before opening in Restricted Mode without asking).
 */
export async function startCodeServer(options = {}) {
  const bin = codeServerBinary();
  const ownDir = !options.dir;
  const dir = options.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'plue-cs-'));
  const port = options.port ?? await freePort();
  const dirs = { config: path.join(dir, 'config.yaml'), data: path.join(dir, 'data'), extensions: path.join(dir, 'extensions'), log: path.join(dir, 'server.log') };
  fs.mkdirSync(path.join(dirs.data, 'User'), { recursive: true });
  fs.mkdirSync(dirs.extensions, { recursive: true });
  fs.writeFileSync(dirs.config, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  const settingsFile = path.join(dirs.data, 'User', 'settings.json');
  const suite = options.suite ?? true;
  if (suite || !fs.existsSync(settingsFile)) {
    const trust = options.workspaceTrust ? { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never' } : {};
    fs.writeFileSync(settingsFile, JSON.stringify({ ...baseSettings, ...(suite ? suiteSettings : {}), ...trust, ...options.settings }, null, 2));
  }
  const env = {
    ...process.env,
    XDG_CONFIG_HOME: path.join(dir, 'xdg-config'),
    XDG_DATA_HOME: path.join(dir, 'xdg-data'),
    XDG_CACHE_HOME: path.join(dir, 'xdg-cache'),
    ...options.env,
  };
  const common = ['--config', dirs.config, '--user-data-dir', dirs.data, '--extensions-dir', dirs.extensions];

  // Unpacked extensions (test fixtures) are installed by copying them where VS Code scans for extensions.
  for (const folder of options.extensionFolders ?? []) {
    const manifest = JSON.parse(fs.readFileSync(path.join(folder, 'package.json'), 'utf8'));
    fs.cpSync(folder, path.join(dirs.extensions, `${manifest.publisher}.${manifest.name}-${manifest.version}`), { recursive: true });
  }

  if (options.vsix) {
    const install = spawnSync(bin, [...common, '--install-extension', options.vsix, '--force'], { env, encoding: 'utf8', timeout: 120_000 });
    if (install.status !== 0) throw new Error(`Installing ${options.vsix} failed:\n${install.stdout}${install.stderr}`);
  }

  const log = fs.openSync(dirs.log, 'a');
  const args = [...common, '--disable-telemetry', '--disable-update-check', ...(options.workspaceTrust ? [] : ['--disable-workspace-trust']), '--disable-getting-started-override'];
  if (options.workspace) args.push(options.workspace);
  // detached = a new process group (setsid): stop() signals the whole group.
  const child = spawn(bin, args, { env, detached: true, stdio: ['ignore', log, log] });
  fs.closeSync(log);
  const pgid = child.pid;
  let exited = false;
  const exitedPromise = new Promise(resolve => child.once('exit', () => { exited = true; resolve(); }));
  liveGroups.add(pgid);

  const url = `http://127.0.0.1:${port}/`;
  const stop = async () => {
    killGroup(pgid, 'SIGTERM');
    const timedOut = await Promise.race([exitedPromise.then(() => false), delay(5000).then(() => true)]);
    // Extension hosts and sidecars may outlive the server: always end the group.
    await delay(timedOut ? 0 : 300);
    killGroup(pgid, 'SIGKILL');
    liveGroups.delete(pgid);
    if (ownDir && !options.keep) fs.rmSync(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited) {
      const tail = fs.readFileSync(dirs.log, 'utf8').slice(-3000);
      await stop();
      throw new Error(`code-server exited during start-up:\n${tail}`);
    }
    if (await healthy(url)) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error('code-server did not become healthy within 60 s');
    }
    await delay(200);
  }
  return { url, port, pgid, dir, dirs, stop, exited: exitedPromise, log: () => fs.readFileSync(dirs.log, 'utf8') };
}

/** The workbench URL for a folder, optionally with a development extension and its tests (the payload VS Code's browser tests use). */
export function workbenchUrl(server, { folder, extensionDevelopmentPath, extensionTestsPath } = {}) {
  const remote = p => `vscode-remote://127.0.0.1:${server.port}${p}`;
  const payload = [['skipWelcome', 'true']];
  if (extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', remote(extensionDevelopmentPath)]);
  if (extensionTestsPath) payload.push(['extensionTestsPath', remote(extensionTestsPath)]);
  const query = new URLSearchParams();
  if (folder) query.set('folder', folder);
  query.set('payload', JSON.stringify(payload));
  return `${server.url}?${query}`;
}

function killGroup(pgid, signal) {
  try {
    process.kill(-pgid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

async function healthy(url) {
  try {
    const response = await fetch(new URL('healthz', url), { signal: AbortSignal.timeout(2000) });
    return response.ok;
  } catch {
    return false;
  }
}

export function delay(ms) {
  return new Promise(resolve => setTimeout(resolve, ms));
}
