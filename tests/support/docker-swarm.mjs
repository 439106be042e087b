// A real Docker Swarm on this one machine for the cluster suites: a manager engine and N worker engines, each worker
// in a network namespace of its own (its own "machine"), all on a bridge the test makes, and Debian's registry
// (`docker-registry`, plain HTTP) that the nodes pull from. No `docker` CLI: the module speaks the Engine API over
// each engine's Unix socket. Addresses are the bridge's (192.168.241.0/24 unless PLUE_TEST_SWARM_SUBNET says another
// /24's first three numbers): the manager and the registry on .1, worker i on .(i+1). A server a job must reach (the
// loopback provider) listens on the manager's address, not 127.0.0.1.
//
// Each worker's engine enters only the network namespace (`nsenter --net`): `ip netns exec` also remounts /sys and
// the engine then finds no cgroups. Everything is torn down by `stop()`: the swarm left, each engine stopped by its pid
// file, the namespaces and the bridge deleted, the folders removed.
//
// From the command line (the bench's swarm suite): `node tests/support/docker-swarm.mjs start [--workers N] [--runner
// path/to/plue] [--own-mounts]` builds one (`--own-mounts`: each engine in a mount namespace of its own), pushes the runner base image (git and bash, with the libraries of the Native AOT plue
// named), prints one JSON line and leaves it running; `stop DIR` tears it down from the state file written in DIR.
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { engineRequest, importImage, stopPrivateEngine, tinyRootfs, waitReady } from './docker-engine.mjs';

const path_ = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
const ip = (...args) => execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'], env: { PATH: path_ } });

/** Why the suites cannot build a swarm here, or null when they can. */
export function swarmSkip() {
  if (process.platform !== 'linux') return 'a swarm of test engines needs Linux network namespaces';
  if (process.getuid?.() !== 0) return 'a swarm of test engines needs root (network namespaces, dockerd)';
  if (!['/usr/sbin/dockerd', '/usr/bin/dockerd'].some((p) => fs.existsSync(p))) return 'no Docker engine: install Debian\'s docker.io (bash scripts/install-tools.sh test)';
  if (!fs.existsSync('/usr/bin/docker-registry')) return 'no registry: install Debian\'s docker-registry (bash scripts/install-tools.sh test)';
  return false;
}

/**
 * One engine in `dir`, in the network namespace `netns` (null: this one), trusting the plain-HTTP registry. With
 * `ownMounts`, in a mount namespace of its own (`unshare --mount`): its containers' mounts (secrets, network
 * namespaces) then come and go out of this machine's mount table, where a sandboxed command's bwrap, binding `/` with
 * everything mounted under it, fails when one vanishes meanwhile.
 */
async function startEngine(dir, netns, registry, ownMounts = false) {
  const dockerd = ['/usr/sbin/dockerd', '/usr/bin/dockerd'].find((p) => fs.existsSync(p));
  const socket = path.join(dir, 'docker.sock');
  const log = path.join(dir, 'dockerd.log');
  const out = fs.openSync(log, 'a');
  const args = ['--storage-driver=vfs', '--iptables=false', '--bridge=none', `--insecure-registry=${registry}`,
    `--data-root=${path.join(dir, 'root')}`, `--exec-root=${path.join(dir, 'exec')}`,
    '-H', `unix://${socket}`, '--pidfile', path.join(dir, 'dockerd.pid')];
  const engine = ownMounts ? ['unshare', '--mount', dockerd, ...args] : [dockerd, ...args];
  const [program, line] = netns ? ['nsenter', [`--net=/run/netns/${netns}`, ...engine]] : [engine[0], engine.slice(1)];
  const child = spawn(program, line, { detached: true, stdio: ['ignore', out, out], env: { PATH: path_, HOME: dir } });
  fs.closeSync(out);
  child.unref();
  await Promise.race([
    waitReady(socket, log, 60),
    new Promise((_, reject) => child.once('exit', (code) => reject(new Error(`dockerd exited (${code}); its log:\n${fs.readFileSync(log, 'utf8').split('\n').slice(-15).join('\n')}`)))),
  ]);
  return { socket, host: `unix://${socket}`, dir, pid: child.pid };
}

/** Debian's registry on `address:5000`, its storage in `dir`; resolves its process. */
async function startRegistry(dir, address) {
  const config = path.join(dir, 'registry.yml');
  fs.writeFileSync(config, `version: 0.1\nlog:\n  level: warn\nstorage:\n  filesystem:\n    rootdirectory: ${path.join(dir, 'data')}\n  delete:\n    enabled: true\nhttp:\n  addr: ${address}:5000\n`);
  const log = fs.openSync(path.join(dir, 'registry.log'), 'a');
  const child = spawn('/usr/bin/docker-registry', ['serve', config], { detached: true, stdio: ['ignore', log, log], env: { PATH: path_, HOME: dir } });
  fs.closeSync(log);
  child.unref();
  const until = Date.now() + 30_000;
  for (;;) {
    const ok = await fetch(`http://${address}:5000/v2/`).then((r) => r.status === 200, () => false);
    if (ok) return child;
    if (Date.now() > until) throw new Error(`the test registry did not answer on ${address}:5000: ${fs.readFileSync(path.join(dir, 'registry.log'), 'utf8').slice(-800)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** An Engine API call that must succeed (with extra headers: a push's X-Registry-Auth): resolves its JSON body (or text), else throws with the engine's answer. */
export async function api(socket, method, apiPath, body, headers) {
  const answer = await engineRequest(socket, method, apiPath, body, 'application/json', headers);
  if (answer.status >= 300) throw new Error(`${method} ${apiPath}: ${answer.status} ${answer.body}`);
  try { return JSON.parse(answer.body); } catch { return answer.body; }
}

/**
 * Builds the swarm: the bridge and the registry on .1, the manager engine (this namespace) initialised on .1, each
 * worker's namespace, veth and engine, joined as a worker. Resolves {manager, workers, registry, subnet, address,
 * pushImage(name), stop()}; `pushImage` imports the tiny image (with git when asked) into the manager, tags it into the
 * registry and pushes it, resolving the name the nodes pull (`librariesFor`: programs whose shared libraries it also gets; `programs`: copied in too, with theirs).
 */
export async function startSwarm({ workers = 2, ownMounts = false } = {}) {
  const subnet = process.env.PLUE_TEST_SWARM_SUBNET ?? '192.168.241';
  const address = `${subnet}.1`;
  const registry = `${address}:5000`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plue-swarm-'));
  const tag = `plue${process.pid % 100000}`;
  const bridge = `${tag}br`;
  const made = { dir, bridge, namespaces: [], engines: [], registry: null };
  const stop = () => stopSwarm(made);
  try {
    ip('link', 'add', bridge, 'type', 'bridge');
    ip('addr', 'add', `${address}/24`, 'dev', bridge);
    ip('link', 'set', bridge, 'up');
    fs.mkdirSync(path.join(dir, 'registry'));
    made.registry = await startRegistry(path.join(dir, 'registry'), address);
    fs.mkdirSync(path.join(dir, 'manager'));
    const manager = await startEngine(path.join(dir, 'manager'), null, registry, ownMounts);
    made.engines.push(manager);
    await api(manager.socket, 'POST', '/swarm/init', { ListenAddr: `${address}:2377`, AdvertiseAddr: address });
    const token = (await api(manager.socket, 'GET', '/swarm')).JoinTokens.Worker;
    const joined = [];
    for (let i = 1; i <= workers; i++) {
      const netns = `${tag}w${i}`;
      const mine = `${subnet}.${i + 1}`;
      ip('netns', 'add', netns);
      made.namespaces.push(netns);
      ip('link', 'add', `${netns}h`, 'type', 'veth', 'peer', 'name', `${netns}c`);
      ip('link', 'set', `${netns}h`, 'master', bridge);
      ip('link', 'set', `${netns}h`, 'up');
      ip('link', 'set', `${netns}c`, 'netns', netns);
      ip('-n', netns, 'addr', 'add', `${mine}/24`, 'dev', `${netns}c`);
      ip('-n', netns, 'link', 'set', `${netns}c`, 'up');
      ip('-n', netns, 'link', 'set', 'lo', 'up');
      fs.mkdirSync(path.join(dir, `worker${i}`));
      const worker = await startEngine(path.join(dir, `worker${i}`), netns, registry, ownMounts);
      made.engines.push(worker);
      await api(worker.socket, 'POST', '/swarm/join', { ListenAddr: `${mine}:2377`, AdvertiseAddr: mine, RemoteAddrs: [`${address}:2377`], JoinToken: token });
      joined.push({ ...worker, address: mine, netns });
    }
    const pushImage = async ({ git = false, librariesFor = [], programs = [] } = {}) => {
      const local = `${git ? 'plue-test/tiny-git' : 'plue-test/tiny'}${librariesFor.length + programs.length ? '-plus' : ''}:1`;
      const name = `${registry}/${local}`;
      const rootfs = tinyRootfs({ git, librariesFor, programs });
      try {
        await importImage(manager.socket, rootfs, local);
      } finally {
        fs.rmSync(rootfs, { recursive: true, force: true });
      }
      const [repo, version] = name.split(/:(?=[^:/]+$)/);
      await api(manager.socket, 'POST', `/images/${encodeURIComponent(local)}/tag?repo=${encodeURIComponent(repo)}&tag=${version}`);
      const pushed = await api(manager.socket, 'POST', `/images/${encodeURIComponent(repo)}/push?tag=${version}`, undefined,
        { 'X-Registry-Auth': Buffer.from('{}').toString('base64') });
      if (/"error"/.test(String(pushed))) throw new Error(`pushing ${name} failed: ${pushed}`);
      return name;
    };
    writeState(made);
    return { manager: { ...manager, address }, workers: joined, registry, subnet, address, dir, pushImage, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** What `stop DIR` needs to tear the swarm down from another process: its engines, namespaces, bridge and registry. */
function writeState(made) {
  const state = { bridge: made.bridge, namespaces: made.namespaces, engines: made.engines.map((e) => ({ socket: e.socket, dir: e.dir, pid: e.pid })), registry: { pid: made.registry?.pid } };
  fs.writeFileSync(path.join(made.dir, 'swarm-state.json'), JSON.stringify(state));
}

async function stopSwarm(made) {
  for (const engine of made.engines.slice().reverse()) {
    await engineRequest(engine.socket, 'POST', '/swarm/leave?force=1').catch(() => {});
    await stopPrivateEngine(engine.dir, engine.pid).catch(() => {});
  }
  if (made.registry?.pid) { try { process.kill(made.registry.pid, 'SIGTERM'); } catch { /* gone */ } }
  for (const netns of made.namespaces) {
    // What still runs there (a worker's containers when a test killed its engine) dies with the namespace.
    try {
      for (const pid of execFileSync('ip', ['netns', 'pids', netns], { encoding: 'utf8', env: { PATH: path_ } }).split('\n').filter(Boolean)) {
        try { process.kill(Number(pid), 'SIGKILL'); } catch { /* gone */ }
      }
    } catch { /* no such namespace */ }
    try { ip('netns', 'del', netns); } catch { /* gone */ }
  }
  try { ip('link', 'del', made.bridge); } catch { /* never made */ }
  fs.rmSync(made.dir, { recursive: true, force: true });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [command, dir] = process.argv.slice(2);
  const option = (name) => { const i = process.argv.indexOf(name); return i > 0 ? process.argv[i + 1] : undefined; };
  if (command === 'start') {
    const swarm = await startSwarm({ workers: Number(option('--workers') ?? 2), ownMounts: process.argv.includes('--own-mounts') });
    try {
      // The runner base image as the suites push it: git, bash, and the libraries Plue's binary, its SQLite and OpenSSL load.
      const runner = option('--runner');
      const librariesFor = runner ? [runner, path.join(path.dirname(runner), 'libe_sqlite3.so'), '/usr/lib/x86_64-linux-gnu/libssl.so.3'] : [];
      const image = await swarm.pushImage({ git: true, programs: ['/bin/bash'], librariesFor });
      const workers = swarm.workers.map((w) => ({ host: w.host, socket: w.socket, address: w.address }));
      process.stdout.write(JSON.stringify({ host: swarm.manager.host, socket: swarm.manager.socket, address: swarm.address, registry: swarm.registry, workers, dir: swarm.dir, image }) + '\n');
    } catch (e) {
      await swarm.stop();
      throw e;
    }
  } else if (command === 'stop' && dir) {
    const state = JSON.parse(fs.readFileSync(path.join(dir, 'swarm-state.json'), 'utf8'));
    await stopSwarm({ ...state, dir });
  } else {
    process.stderr.write('usage: docker-swarm.mjs start [--workers N] [--runner path/to/plue] [--own-mounts] | stop DIR\n');
    process.exit(2);
  }
}
