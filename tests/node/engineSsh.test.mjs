// ssh:// engines, reached through the machine's own ssh client against a REAL sshd (Debian's openssh-server, started by
// the test on a loopback port with a host key and an authorized key it makes in a temp folder; no system config
// touched) in front of a private dockerd (tests/support/docker-engine.mjs). The real sidecar (vscode-jsonrpc) and the
// real `plue` command line test the engine; an unknown host key or a refused key fails fast on one line with its fix;
// a killed tunnel is started again; none outlives the sidecar.
//
// OpenSSH finds ~/.ssh through the user database, not HOME: so the sidecar is given a PATH whose first `ssh` is a
// two-line script running the real /usr/bin/ssh with `-F $HOME/.ssh/config`, and a HOME of the test's own.
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { useDockerEngine } from '../support/docker-engine.mjs';
import { descendants, scratch, startSidecar, until } from '../faults/support/processes.mjs';

const { plue, tempHome } = createRequire(import.meta.url)('./support/plue');

const sshd = '/usr/sbin/sshd';
const skip = process.platform !== 'linux' ? 'ssh:// engines are tested on Linux'
  : !fs.existsSync(sshd) ? 'no sshd: install openssh-server (bash scripts/install-tools.sh test)'
    : process.env.PLUE_TEST_DOCKER_HOST ? false
      : !['/usr/sbin/dockerd', '/usr/bin/dockerd'].some((p) => fs.existsSync(p)) ? 'no Docker engine: install Debian\'s docker.io (bash scripts/install-tools.sh test)'
        : process.getuid?.() !== 0 ? 'a private dockerd and sshd need root' : false;

/** What the ssh child may see of the sidecar's environment (EngineSshTunnel), the sidecar's mark, and PWD (set by the wrapper's shell). */
const sshNeeds = new Set(['HOME', 'SSH_AUTH_SOCK', 'PATH', 'SHELL', 'USER', 'LOGNAME', 'PLUE_OWNER', 'PWD']);
const secret = 'sk-engine-ssh-test-0123456789';

let engine;
let server;  // { dir, port, hostKey, userKey, otherKey, bin, stop }

const keygen = (file) => execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'plue-test', '-f', file]);

async function freePort() {
  const probe = net.createServer();
  await new Promise((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

const alive = (pid) => { try { process.kill(pid, 0); return true; } catch { return false; } };

async function startSshd() {
  const dir = fs.mkdtempSync(path.join('/tmp', 'plue-sshd-'));
  const hostKey = path.join(dir, 'host_ed25519');
  const userKey = path.join(dir, 'user_ed25519');
  const otherKey = path.join(dir, 'other_ed25519');
  for (const key of [hostKey, userKey, otherKey]) keygen(key);
  fs.copyFileSync(`${userKey}.pub`, path.join(dir, 'authorized_keys'));
  const port = await freePort();
  fs.writeFileSync(path.join(dir, 'sshd_config'), [
    `ListenAddress 127.0.0.1:${port}`, `HostKey ${hostKey}`, `AuthorizedKeysFile ${dir}/authorized_keys`,
    `PidFile ${dir}/sshd.pid`, 'StrictModes no', 'UsePAM no', 'PermitRootLogin prohibit-password',
    'PasswordAuthentication no', 'KbdInteractiveAuthentication no', 'AllowStreamLocalForwarding yes', '',
  ].join('\n'));
  // sshd's privilege separation folder: a runtime folder Debian's package makes at boot, not configuration.
  fs.mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const log = fs.openSync(path.join(dir, 'sshd.log'), 'a');
  const child = spawn(sshd, ['-D', '-e', '-f', path.join(dir, 'sshd_config')], { stdio: ['ignore', log, log], env: { PATH: '/usr/sbin:/usr/bin:/bin' } });
  fs.closeSync(log);
  await until(() => new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => { socket.destroy(); resolve(true); });
    socket.on('error', () => resolve(false));
  }), 'sshd listening', 10_000, () => fs.readFileSync(path.join(dir, 'sshd.log'), 'utf8'));
  // The `ssh` the sidecar finds first on its PATH: the real one, told to read the config in its HOME.
  const bin = path.join(dir, 'bin');
  fs.mkdirSync(bin);
  fs.writeFileSync(path.join(bin, 'ssh'), '#!/bin/sh\nexec /usr/bin/ssh -F "$HOME/.ssh/config" "$@"\n', { mode: 0o755 });
  const stop = async () => {
    if (alive(child.pid)) child.kill('SIGTERM');
    await until(() => !alive(child.pid) || child.exitCode !== null || child.signalCode !== null, 'sshd stopped', 5_000);
    fs.rmSync(dir, { recursive: true, force: true });
  };
  return { dir, port, hostKey, userKey, otherKey, bin, stop };
}

/** A HOME whose ~/.ssh has a config naming `key` and a known_hosts that knows the test's sshd (unless `knowsHost` is false). */
function sshHome(t, { key = server.userKey, knowsHost = true } = {}) {
  const home = scratch(t, 'plue-ssh-home-');
  const dotSsh = path.join(home, '.ssh');
  fs.mkdirSync(dotSsh, { mode: 0o700 });
  const hostLine = fs.readFileSync(`${server.hostKey}.pub`, 'utf8').split(' ').slice(0, 2).join(' ');
  fs.writeFileSync(path.join(dotSsh, 'known_hosts'), knowsHost ? `[127.0.0.1]:${server.port} ${hostLine}\n` : '', { mode: 0o600 });
  fs.copyFileSync(key, path.join(dotSsh, 'id_ed25519'));
  fs.chmodSync(path.join(dotSsh, 'id_ed25519'), 0o600);
  fs.writeFileSync(path.join(dotSsh, 'config'), [
    'Host *', `  IdentityFile ${dotSsh}/id_ed25519`, '  IdentitiesOnly yes', `  UserKnownHostsFile ${dotSsh}/known_hosts`,
    '  GlobalKnownHostsFile /dev/null', '',
  ].join('\n'), { mode: 0o600 });
  return home;
}

/** The sidecar's environment: the test's ssh first on PATH, the given HOME, no agent, and a secret ssh must not see. */
const sidecarEnv = (home) => ({ HOME: home, PATH: `${server.bin}:${process.env.PATH}`, SSH_AUTH_SOCK: '', PLUE_TEST_SECRET_TOKEN: secret });

const engineHost = () => `ssh://root@127.0.0.1:${server.port}${engine.socket}`;

async function sidecarWithEngine(t, sshHomeDir) {
  const s = startSidecar(t, { home: path.join(scratch(t), 'home'), env: sidecarEnv(sshHomeDir) });
  await s.initialize();
  const record = await s.request('codex/create', { templateId: 'docker-engine', title: 'Build box', fields: { connection: 'host', host: engineHost() } });
  return { s, record };
}

const sshChildren = (pid) => descendants(pid).filter((child) => {
  try { return fs.readFileSync(`/proc/${child}/comm`, 'utf8').trim() === 'ssh'; } catch { return false; }
});

test.before(async () => {
  if (skip) return;
  engine = await useDockerEngine();
  server = await startSshd();
});
test.after(async () => {
  await server?.stop();
  await engine?.stop();
});

test('engines/test: an ssh:// engine says Docker\'s version through the tunnel, cannot mount the workspace; a killed tunnel is started again; none outlives the sidecar', { skip }, async (t) => {
  const { s, record } = await sidecarWithEngine(t, sshHome(t));

  const result = await s.request('engines/test', { id: record.id });
  assert.equal(result.ok, true, result.error);
  assert.equal(result.address, engineHost());
  assert.match(result.version, /^\d+\.\d+/);
  assert.equal(result.apiVersion, '1.41');
  assert.equal(result.os, 'linux');
  assert.equal(result.canMountWorkspace, false);  // another machine: its tasks get a copy of the worktree
  t.diagnostic(`first test through a new tunnel: ${result.latencyMs} ms`);

  // One ssh child holds the tunnel, with only what ssh needs of the sidecar's environment.
  const [first] = sshChildren(s.pid);
  assert.ok(first, 'an ssh child of the sidecar');
  const environ = fs.readFileSync(`/proc/${first}/environ`, 'utf8').split('\0').filter(Boolean);
  assert.deepEqual(environ.map((v) => v.split('=')[0]).filter((name) => !sshNeeds.has(name)), []);
  assert.ok(!environ.join('\n').includes(secret));
  const argv = fs.readFileSync(`/proc/${first}/cmdline`, 'utf8').split('\0');
  assert.ok(argv.includes('BatchMode=yes') && argv.includes('-N'), argv.join(' '));
  const forward = argv[argv.indexOf('-L') + 1];
  assert.ok(forward.endsWith(`:${engine.socket}`), forward);
  assert.equal(fs.statSync(path.dirname(forward.split(':')[0])).mode & 0o777, 0o700, 'the local socket in a folder of the sidecar\'s own');

  // Shared: a second test uses the same tunnel.
  const shared = await s.request('engines/test', { id: record.id });
  assert.equal(shared.ok, true, shared.error);
  assert.deepEqual(sshChildren(s.pid), [first]);
  t.diagnostic(`a test through the running tunnel: ${shared.latencyMs} ms`);

  // Killed, it is started again by the next call.
  process.kill(first, 'SIGKILL');
  await until(() => !alive(first), 'the killed ssh gone');
  const again = await s.request('engines/test', { id: record.id });
  assert.equal(again.ok, true, again.error);
  const [second] = sshChildren(s.pid);
  assert.ok(second && second !== first, `a new ssh child (was ${first}, now ${second})`);

  // The sidecar killed: its ssh child goes with it; its sockets' folder goes when the next sidecar opens a tunnel.
  await s.kill9();
  await until(() => !alive(second), `the ssh child ${second} gone after the sidecar was killed`, 10_000);
  assert.ok(fs.existsSync(path.dirname(forward.split(':')[0])));
  const next = await sidecarWithEngine(t, sshHome(t));
  assert.equal((await next.s.request('engines/test', { id: next.record.id })).ok, true);
  assert.equal(fs.existsSync(path.dirname(forward.split(':')[0])), false, 'the killed sidecar\'s folder removed');
});

test('a sidecar that stops ends its tunnel and removes its sockets\' folder', { skip }, async (t) => {
  const { s, record } = await sidecarWithEngine(t, sshHome(t));
  assert.equal((await s.request('engines/test', { id: record.id })).ok, true);
  const [ssh] = sshChildren(s.pid);
  const argv = fs.readFileSync(`/proc/${ssh}/cmdline`, 'utf8').split('\0');
  const folder = path.dirname(argv[argv.indexOf('-L') + 1].split(':')[0]);
  assert.ok(fs.existsSync(folder));

  await s.request('shutdown');
  await s.connection.sendNotification('exit');
  await s.exited;

  await until(() => !alive(ssh), `the ssh child ${ssh} gone after the sidecar stopped`, 10_000);
  assert.equal(fs.existsSync(folder), false, `${folder} removed`);
});

/** The ssh processes of any tunnel to the test's sshd (by its port in their arguments). */
const tunnelsToServer = () => fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p)).filter((p) => {
  try {
    const argv = fs.readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0');
    return argv[0] === '/usr/bin/ssh' && argv.includes('-L') && argv.includes(String(server.port));
  } catch { return false; }
});

test('engines/test: a host key ssh does not know yet fails within seconds on one line saying to ssh there once', { skip }, async (t) => {
  const { s, record } = await sidecarWithEngine(t, sshHome(t, { knowsHost: false }));
  const started = Date.now();
  const result = await s.request('engines/test', { id: record.id });
  const took = Date.now() - started;

  assert.equal(result.ok, false);
  assert.equal(result.fix, 'ssh');
  assert.equal(result.error, `ssh does not know the host key of 127.0.0.1 yet (Build box): run \`ssh -p ${server.port} root@127.0.0.1\` once in a terminal to accept its host key and check your key, then test again.`);
  assert.ok(took < 5_000, `took ${took} ms`);
  t.diagnostic(`failed in ${took} ms`);
  assert.deepEqual(sshChildren(s.pid), []);
});

test('engines/test: a key the host refuses fails within seconds on one line saying which key to give', { skip }, async (t) => {
  const { s, record } = await sidecarWithEngine(t, sshHome(t, { key: server.otherKey }));
  const started = Date.now();
  const result = await s.request('engines/test', { id: record.id });
  const took = Date.now() - started;

  assert.equal(result.ok, false);
  assert.equal(result.fix, 'ssh');
  assert.match(result.error, /^127\.0\.0\.1 refused your ssh key for root \(Build box\): add the key to your ssh agent \(ssh-add\)/);
  assert.doesNotMatch(result.error, /\n/);
  assert.ok(took < 5_000, `took ${took} ms`);
  t.diagnostic(`failed in ${took} ms`);
});

test('engines/test: a socket path on the host where no engine listens is told as such', { skip }, async (t) => {
  const s = startSidecar(t, { home: path.join(scratch(t), 'home'), env: sidecarEnv(sshHome(t)) });
  await s.initialize();
  const record = await s.request('codex/create', { templateId: 'docker-engine', title: 'Rootless', fields: { connection: 'host', host: `ssh://root@127.0.0.1:${server.port}/run/user/4242/docker.sock` } });
  const result = await s.request('engines/test', { id: record.id });

  assert.equal(result.ok, false);
  assert.equal(result.fix, 'startEngine');
  assert.match(result.error, /^127\.0\.0\.1 answers over SSH, but no Docker engine there answers at \/run\/user\/4242\/docker\.sock for root \(Rootless\): start Docker there/);
});

test('plue engines add|test: an ssh:// engine works from the command line', { skip }, async (t) => {
  const home = tempHome();
  t.after(() => fs.rmSync(path.dirname(home), { recursive: true, force: true }));
  const env = { HOME: sshHome(t), PATH: `${server.bin}:${process.env.PATH}` };

  const added = await plue(['engines', 'add', 'Build box', '--host', engineHost()], { home, env });
  assert.equal(added.code, 0, added.stderr);
  const works = await plue(['engines', 'test', 'Build box'], { home, env });
  assert.equal(works.code, 0, works.stderr);
  assert.match(works.stdout, /^Build box works: Docker \d+\.\d+\S* \(API 1\.41\), linux\/\w+, cannot mount the workspace/m);
  // The command's tunnel ended with it.
  await until(() => tunnelsToServer().length === 0, 'no tunnel left after the command', 5_000, () => tunnelsToServer().join(' '));
});
