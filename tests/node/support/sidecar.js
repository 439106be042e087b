// Starts the real sidecar process and joins it with the real vscode-jsonrpc client.
'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const rpc = require('vscode-jsonrpc/node');

const root = path.resolve(__dirname, '..', '..', '..');

/**
 * The sidecar the suites run: PLUE_SIDECAR when set (a published executable, such as the Native AOT one the linux-x64
 * VSIX ships, or another plue.dll), else the built one: Debug first (what `dotnet build` makes), then Release.
 */
function sidecarPath() {
  const chosen = process.env.PLUE_SIDECAR;
  if (chosen) {
    if (!fs.existsSync(chosen)) throw new Error(`PLUE_SIDECAR is ${chosen}, which does not exist: publish it (npm run package) or unset it`);
    return path.resolve(chosen);
  }
  for (const config of ['Debug', 'Release']) {
    const dll = path.join(root, 'server', 'bin', config, 'net10.0', 'plue.dll');
    if (fs.existsSync(dll)) return dll;
  }
  throw new Error('the sidecar is not built: run `dotnet build server`');
}

/**
 * [command, arguments] that run the sidecar with `args`: an executable as it is, a plue.dll through `dotnet`; under
 * PLUE_SIDECAR_EMULATOR when set (a command and its arguments, such as `qemu-aarch64-static -L /usr/aarch64-linux-gnu`:
 * another CPU's sidecar on this one).
 */
function sidecarCommand(...args) {
  const sidecar = sidecarPath();
  const [command, argv] = sidecar.endsWith('.dll') ? ['dotnet', [sidecar, ...args]] : [sidecar, args];
  const emulator = (process.env.PLUE_SIDECAR_EMULATOR ?? '').split(/\s+/).filter(Boolean);
  return emulator.length > 0 ? [emulator[0], [...emulator.slice(1), command, ...argv]] : [command, argv];
}

function tempHome() {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'plue-node-test-'));
}

/**
 * Spawns the sidecar (sidecarCommand) with its own PLUE_HOME and returns the connection plus
 * what the process printed on stderr, so tests can check logs.
 */
function startSidecar({ env = {}, home = path.join(tempHome(), 'home') } = {}) {
  const child = spawn(...sidecarCommand(), {
    // PLUE_KEYCHAIN=off: the key file, never the developer's own keyring (tests/keychain/ tests the keychain).
    env: { ...process.env, PLUE_HOME: home, PLUE_KEYCHAIN: 'off', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d.toString(); });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const connection = rpc.createMessageConnection(
    new rpc.StreamMessageReader(child.stdout),
    new rpc.StreamMessageWriter(child.stdin));
  connection.onError(() => { /* the process may be killed by a test on purpose */ });
  connection.listen();
  const sidecar = {
    child,
    connection,
    home,
    exited,
    stderr: () => stderr,
    async initialize(initializationOptions = {}) {
      return connection.sendRequest('initialize', {
        processId: process.pid,
        clientInfo: { name: 'node-test' },
        capabilities: {},
        initializationOptions: { plueHome: home, ...initializationOptions },
      });
    },
    async stop() {
      connection.dispose();
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
      running.delete(sidecar);
    },
  };
  running.add(sidecar);
  return sidecar;
}

const running = new Set();

/**
 * A temp folder removed when the test ends, once every sidecar still running has stopped: a test's t.after hooks run
 * in the order they were added, so a plain rmSync added before the sidecar's stop would empty the folder under a live
 * sidecar and its children (a claude CLI writing its config there made rmdir fail with ENOTEMPTY). The retries cover
 * children that outlive the sidecar by a moment.
 */
function scratchFolder(t, prefix) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  t.after(async () => {
    await Promise.all([...running].map((s) => s.stop()));
    fs.rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
  });
  return dir;
}

/** Resolves with the value, or rejects when the promise takes longer than ms. */
function within(ms, promise, what) {
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`${what} took over ${ms} ms`)), ms); }),
  ]);
}

module.exports = { startSidecar, scratchFolder, sidecarCommand, tempHome, within, root };
