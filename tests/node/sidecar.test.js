// The real sidecar process driven by the real vscode-jsonrpc client (what the extension uses).
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { spawn } = require('node:child_process');
const rpc = require('vscode-jsonrpc/node');
const { startSidecar, within } = require('./support/sidecar');

test('initialize answers serverInfo, then plue/status reports this very process', async (t) => {
  const s = startSidecar();
  t.after(() => s.stop());
  const init = await s.initialize();
  assert.equal(init.serverInfo.name, 'plue');
  assert.match(init.serverInfo.version, /^\d+\.\d+\.\d+/);
  s.connection.sendNotification('initialized', {});

  const status = await s.connection.sendRequest('plue/status');
  assert.equal(status.pid, s.child.pid);
  assert.equal(status.plueHome, s.home);
  assert.equal(status.version, init.serverInfo.version);
  // Counted from the process's start, not from the first status (which would read 0): initialize alone takes longer than 1 ms.
  assert.ok(status.uptimeMs > 0 && status.uptimeMs < 60_000, `uptime ${status.uptimeMs}`);
});

test('PLUE_HOME is created private to the user (0700)', async (t) => {
  const s = startSidecar();
  t.after(() => s.stop());
  await s.initialize();
  assert.equal(fs.statSync(s.home).mode & 0o777, 0o700);
});

test('a request before initialize is refused with -32002', async (t) => {
  const s = startSidecar();
  t.after(() => s.stop());
  await assert.rejects(s.connection.sendRequest('plue/status'), (e) => e.code === -32002 && /initialize/.test(e.message));
});

test('unknown method and wrong params get -32601 and -32602, and the sidecar keeps serving', async (t) => {
  const s = startSidecar();
  t.after(() => s.stop());
  await s.initialize();
  await assert.rejects(s.connection.sendRequest('plue/noSuchThing', {}), (e) => e.code === rpc.ErrorCodes.MethodNotFound);
  await assert.rejects(s.connection.sendRequest('plue/ping', { delayMs: 'soon' }), (e) => e.code === rpc.ErrorCodes.InvalidParams && /delayMs/.test(e.message));
  await assert.rejects(s.connection.sendRequest('plue/ping', { delayMs: -5 }), (e) => e.code === rpc.ErrorCodes.InvalidParams);
  assert.ok((await s.connection.sendRequest('plue/ping', {})).uptimeMs >= 0);
});

test('cancelling a request through vscode-jsonrpc answers -32800 at once', async (t) => {
  const s = startSidecar();
  t.after(() => s.stop());
  await s.initialize();
  const source = new rpc.CancellationTokenSource();
  const started = Date.now();
  const pending = s.connection.sendRequest('plue/ping', { delayMs: 30_000 }, source.token);
  setTimeout(() => source.cancel(), 100);
  await assert.rejects(pending, (e) => e.code === -32800);
  assert.ok(Date.now() - started < 5_000);
});

test('notifications from the sidecar arrive in order before the answer', async (t) => {
  const s = startSidecar();
  t.after(() => s.stop());
  await s.initialize();
  const seen = [];
  s.connection.onNotification('plue/pong', (p) => seen.push(p.seq));
  await s.connection.sendRequest('plue/ping', { notifications: 500 });
  assert.equal(seen.length, 500);
  assert.deepEqual(seen, [...Array(500).keys()]);
});

test('garbage on stdin gets an error and the sidecar keeps serving', async (t) => {
  const s = startSidecar();
  t.after(() => s.stop());
  await s.initialize();
  s.child.stdin.write('Content-Length: 9\r\n\r\nnot json!');
  s.child.stdin.write('Bad-Header\r\n\r\n');
  const status = await within(5000, s.connection.sendRequest('plue/status'), 'status after garbage');
  assert.equal(status.pid, s.child.pid);
  assert.match(s.stderr(), /Unreadable message/);
});

test('shutdown then exit ends the process with code 0', async (t) => {
  const s = startSidecar();
  t.after(() => s.stop());
  await s.initialize();
  assert.equal(await s.connection.sendRequest('shutdown'), null);
  await s.connection.sendNotification('exit');
  const { code } = await within(5000, s.exited, 'exit');
  assert.equal(code, 0);
});

test('closing stdin ends the process', async (t) => {
  const s = startSidecar();
  t.after(() => s.stop());
  await s.initialize();
  s.child.stdin.end();
  const { code } = await within(5000, s.exited, 'exit after stdin closed');
  assert.notEqual(code, null);
});

test('the sidecar exits when the client process (processId) dies', async (t) => {
  const fakeClient = spawn('sleep', ['60']);
  const s = startSidecar();
  t.after(() => { fakeClient.kill('SIGKILL'); return s.stop(); });
  await s.connection.sendRequest('initialize', { processId: fakeClient.pid, capabilities: {}, initializationOptions: { plueHome: s.home } });
  fakeClient.kill('SIGKILL');
  const { code } = await within(5000, s.exited, 'exit after the client died');
  assert.equal(code, 1);
  assert.match(s.stderr(), /Client process \d+ is gone/);
});

test('the vault key given at initialize never reaches the log, even at Trace level', async (t) => {
  const s = startSidecar({ env: { PLUE_LOG_LEVEL: 'Trace' } });
  t.after(() => s.stop());
  const vaultKey = Buffer.alloc(32, 7).toString('base64');
  await s.initialize({ vaultKey });
  await s.connection.sendRequest('plue/status');
  await s.connection.sendRequest('shutdown');
  await s.connection.sendNotification('exit');
  await within(5000, s.exited, 'exit');
  assert.ok(s.stderr().length > 0, 'the sidecar logs something');
  assert.ok(!s.stderr().includes(vaultKey));
  const files = fs.readdirSync(s.home, { recursive: true }).filter((f) => fs.statSync(path.join(s.home, f)).isFile());
  assert.ok(!files.some((f) => fs.readFileSync(path.join(s.home, f)).includes(vaultKey)));
});

test('--version prints the version and exits 0', async () => {
  const { sidecarCommand } = require('./support/sidecar');
  const child = spawn(...sidecarCommand('--version'));
  let out = '';
  child.stdout.on('data', (d) => { out += d; });
  const code = await new Promise((resolve) => child.on('exit', resolve));
  assert.equal(code, 0);
  assert.match(out.trim(), /^\d+\.\d+\.\d+$/);
});
