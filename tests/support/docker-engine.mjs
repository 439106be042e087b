// A real Docker engine for the container suites, with no registry: Debian's `dockerd` (scripts/install-tools.sh test
// installs it) started in a temp folder of its own, vfs storage, no bridge, no iptables, listening on a Unix socket
// there; images made from a folder (`POST /images/create?fromSrc=-`, what `docker import` does). No `docker` CLI:
// the module speaks the Engine API over the socket itself. PLUE_TEST_DOCKER_HOST=unix:///path/docker.sock points the
// suites at an engine already running instead (nothing is then started or stopped).
//
// As a command, for suites outside node (xUnit):
//   node tests/support/docker-engine.mjs start     prints one JSON line {host, socket, dir, image}; the engine keeps
//                                                  running until `stop` (the caller owns it)
//   node tests/support/docker-engine.mjs stop DIR  stops the engine started in DIR by its pid file and removes DIR
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as crypto from 'node:crypto';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

/** The tiny image every suite uses: static busybox, a user, /tmp and /work; with `git`, git and its libraries. */
export const tinyImage = 'plue-test/tiny:1';
export const tinyGitImage = 'plue-test/tiny-git:1';

const readySeconds = 60;
const stopSeconds = 20;

/** The engine's Unix socket path from a unix:// host, or throws for another kind. */
export function socketOf(host) {
  if (!host.startsWith('unix://')) throw new Error(`the test engine must be a unix:// host, not ${host}`);
  return host.slice('unix://'.length);
}

/**
 * One Engine API call over the socket: resolves {status, body} (the body as text). `body` may be a string, an object
 * (sent as JSON) or a readable stream (sent as it is, with `contentType`).
 */
export function engineRequest(socket, method, apiPath, body, contentType = 'application/json', extraHeaders = {}) {
  return new Promise((resolve, reject) => {
    const headers = { ...extraHeaders };
    let payload = body;
    if (body !== undefined && typeof body === 'object' && typeof body.pipe !== 'function') payload = JSON.stringify(body);
    if (body !== undefined) headers['content-type'] = contentType;
    const req = http.request({ socketPath: socket, method, path: apiPath, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { text += d; });
      res.on('end', () => resolve({ status: res.statusCode, body: text }));
    });
    req.on('error', reject);
    if (payload !== undefined && typeof payload.pipe === 'function') payload.pipe(req);
    else req.end(payload);
  });
}

export async function waitReady(socket, log, seconds = readySeconds) {
  const until = Date.now() + seconds * 1000;
  for (;;) {
    try {
      if ((await engineRequest(socket, 'GET', '/_ping')).status === 200) return;
    } catch { /* not listening yet */ }
    if (Date.now() > until) {
      const tail = log && fs.existsSync(log) ? fs.readFileSync(log, 'utf8').split('\n').slice(-15).join('\n') : '';
      throw new Error(`the test Docker engine did not answer within ${seconds} s; its log ends:\n${tail}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** A port nothing listens on now, on 127.0.0.1. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => { const { port } = server.address(); server.close(() => resolve(port)); });
  });
}

/**
 * Certificates for an engine reached over TCP with TLS, made with openssl in `dir/tls`: a CA, the engine's certificate
 * for 127.0.0.1 and a client certificate, each signed by the CA; and a second CA with a client certificate of its own
 * (`wrong*`), which the engine refuses. Resolves the files' paths.
 */
export function makeTlsFiles(dir) {
  const tls = path.join(dir, 'tls');
  fs.mkdirSync(tls, { recursive: true, mode: 0o700 });
  const f = (name) => path.join(tls, name);
  const openssl = (...args) => execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'], env: { PATH: '/usr/bin:/bin' } });
  const ca = (name) => {
    openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', `/CN=${name}`, '-keyout', f(`${name}-key.pem`), '-out', f(`${name}.pem`));
  };
  const signed = (name, caName, ext) => {
    fs.writeFileSync(f(`${name}.ext`), ext);
    openssl('req', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${name}`, '-keyout', f(`${name}-key.pem`), '-out', f(`${name}.csr`));
    openssl('x509', '-req', '-in', f(`${name}.csr`), '-CA', f(`${caName}.pem`), '-CAkey', f(`${caName}-key.pem`), '-CAcreateserial',
      '-days', '2', '-extfile', f(`${name}.ext`), '-out', f(`${name}.pem`));
  };
  ca('ca');
  signed('server', 'ca', 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
  signed('client', 'ca', 'extendedKeyUsage=clientAuth\n');
  ca('wrong-ca');
  signed('wrong-client', 'wrong-ca', 'extendedKeyUsage=clientAuth\n');
  for (const name of fs.readdirSync(tls)) fs.chmodSync(f(name), 0o600);
  return {
    ca: f('ca.pem'), cert: f('client.pem'), key: f('client-key.pem'), serverCert: f('server.pem'), serverKey: f('server-key.pem'),
    wrongCert: f('wrong-client.pem'), wrongKey: f('wrong-client-key.pem'),
  };
}

/**
 * Starts a private engine in a new temp folder and resolves {host, socket, dir} once it answers /_ping. The engine's
 * environment is built here (PATH for containerd and runc, HOME in its folder), nothing of the test's own. With
 * `tls`, it also listens on tcp://127.0.0.1:PORT with --tlsverify and certificates made for it (`makeTlsFiles`):
 * {tcpHost, tls} say where and with which files; the test's own calls still go to its Unix socket.
 */
export async function startPrivateEngine({ tls = false } = {}) {
  const dockerd = ['/usr/sbin/dockerd', '/usr/bin/dockerd'].find((p) => fs.existsSync(p));
  if (!dockerd) throw new Error('dockerd is not installed: run `bash scripts/install-tools.sh test` (Debian\'s docker.io)');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plue-dockerd-'));
  const socket = path.join(dir, 'docker.sock');
  const log = path.join(dir, 'dockerd.log');
  const tlsFiles = tls ? makeTlsFiles(dir) : null;
  const tcpHost = tls ? `tcp://127.0.0.1:${await freePort()}` : null;
  const listen = tls
    ? ['-H', tcpHost, '--tlsverify', `--tlscacert=${tlsFiles.ca}`, `--tlscert=${tlsFiles.serverCert}`, `--tlskey=${tlsFiles.serverKey}`] : [];
  const out = fs.openSync(log, 'a');
  const child = spawn(dockerd, [
    '--storage-driver=vfs', '--iptables=false', '--bridge=none',
    `--data-root=${path.join(dir, 'root')}`, `--exec-root=${path.join(dir, 'exec')}`,
    '-H', `unix://${socket}`, ...listen, '--pidfile', path.join(dir, 'dockerd.pid'),
  ], {
    detached: true,  // its own process group: containerd dies with it when the group is ended
    stdio: ['ignore', out, out],
    env: { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', HOME: dir },
  });
  fs.closeSync(out);
  child.unref();
  const engine = { host: `unix://${socket}`, socket, dir, ...(tls ? { tcpHost, tls: tlsFiles } : {}) };
  try {
    await Promise.race([
      waitReady(socket, log),
      new Promise((_, reject) => child.once('exit', (code) => reject(new Error(
        `dockerd exited (${code}) before it answered; its log:\n${fs.readFileSync(log, 'utf8').split('\n').slice(-15).join('\n')}`)))),
    ]);
  } catch (e) {
    await stopPrivateEngine(dir, child.pid);
    throw e;
  }
  return engine;
}

const alive = (pid) => { try { process.kill(pid, 0); return true; } catch { return false; } };

/**
 * Stops the engine started in `dir` by its pid file (never by name; `spawnedPid` when it died or failed before
 * writing one) and removes the folder.
 */
export async function stopPrivateEngine(dir, spawnedPid = 0) {
  const pidFile = path.join(dir, 'dockerd.pid');
  const pid = fs.existsSync(pidFile) ? Number(fs.readFileSync(pidFile, 'utf8').trim()) : spawnedPid;
  if (pid > 0 && alive(pid)) {
    process.kill(pid, 'SIGTERM');
    const until = Date.now() + stopSeconds * 1000;
    while (alive(pid) && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    // A stuck engine: its whole group (dockerd was started as the group's leader), containerd with it.
    if (alive(pid)) { try { process.kill(-pid, 'SIGKILL'); } catch { /* gone */ } }
  }
  // What a stopped engine may leave mounted under its folder (a container's namespaces), then the folder.
  const mounts = fs.readFileSync('/proc/self/mountinfo', 'utf8').split('\n')
    .map((line) => line.split(' ')[4]).filter((m) => m && m.startsWith(dir + '/')).reverse();
  for (const m of mounts) { try { execFileSync('umount', ['-l', m], { stdio: 'ignore' }); } catch { /* not ours to fix */ } }
  fs.rmSync(dir, { recursive: true, force: true });
}

/** The shared libraries `ldd` lists for a program (full paths), the loader included. */
function librariesOf(program) {
  const text = execFileSync('ldd', [program], { encoding: 'utf8', env: { PATH: '/usr/bin:/bin' } });
  return [...text.matchAll(/(\/[^\s]+)\s+\(0x/g)].map((m) => m[1]);
}

function copyInto(root, file) {
  const target = path.join(root, file);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.copyFileSync(fs.realpathSync(file), target);
  fs.chmodSync(target, fs.statSync(file).mode & 0o777);
}

/**
 * The image's folder: static busybox with a link per applet in /bin, /etc/passwd with root and a user `plue` (1000),
 * /tmp, /work; with `git`, /usr/bin/git and what `ldd` lists for it (about 6 MB more: vfs copies the whole image for
 * every container, so the plain image stays near 2 MB).
 */
export function tinyRootfs({ git = false, librariesFor = [], programs = [] } = {}) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'plue-rootfs-'));
  fs.chmodSync(root, 0o755);  // the image's / (mkdtemp makes it 0700: no other user could reach /bin)
  for (const d of ['bin', 'etc', 'tmp', 'work', 'home/plue']) fs.mkdirSync(path.join(root, d), { recursive: true, mode: 0o755 });
  try { fs.chownSync(path.join(root, 'home/plue'), 1000, 1000); } catch { /* not root: the engine's root runs it anyway */ }
  fs.chmodSync(path.join(root, 'tmp'), 0o1777);
  fs.copyFileSync('/bin/busybox', path.join(root, 'bin/busybox'));
  fs.chmodSync(path.join(root, 'bin/busybox'), 0o755);
  const applets = execFileSync('/bin/busybox', ['--list'], { encoding: 'utf8' }).split('\n').filter(Boolean);
  for (const a of applets) if (a !== 'busybox') fs.symlinkSync('busybox', path.join(root, 'bin', a));
  fs.writeFileSync(path.join(root, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\nplue:x:1000:1000:plue:/home/plue:/bin/sh\n');
  fs.writeFileSync(path.join(root, 'etc/group'), 'root:x:0:\nplue:x:1000:\n');
  if (git) {
    copyInto(root, '/usr/bin/git');
    for (const lib of librariesOf('/usr/bin/git')) copyInto(root, lib);
  }
  // Programs copied in at their own paths (bash, which Plue's bash tool runs), with their libraries.
  for (const program of programs) {
    copyInto(root, program);
    librariesFor.push(program);
  }
  // The shared libraries other programs need to run in the image (Plue's own binary, for a swarm's runner image).
  // A library named there (one a program loads by name, such as libssl) is copied too, with what it needs.
  for (const program of new Set(librariesFor)) {
    const libraries = librariesOf(program);
    if (/\.so(\.\d+)*$/.test(program) && program.startsWith('/usr/lib')) libraries.push(program);
    for (const lib of libraries) if (!fs.existsSync(path.join(root, lib))) copyInto(root, lib);
  }
  return root;
}

/**
 * Imports a folder as an image (`repo:tag`) into the engine, as `docker import` does, with a PATH (an imported image
 * has no configuration of its own) and /work as its working folder; resolves the image's name.
 */
export async function importImage(socket, rootfs, name) {
  const [repo, tag] = name.split(':');
  const changes = ['ENV PATH=/usr/local/bin:/usr/bin:/bin', 'WORKDIR /work']
    .map((c) => `&changes=${encodeURIComponent(c)}`).join('');
  const tar = spawn('tar', ['-C', rootfs, '-c', '.'], { stdio: ['ignore', 'pipe', 'inherit'], env: { PATH: '/usr/bin:/bin' } });
  const answer = await engineRequest(socket, 'POST', `/images/create?fromSrc=-&repo=${encodeURIComponent(repo)}&tag=${encodeURIComponent(tag)}${changes}`,
    tar.stdout, 'application/x-tar');
  if (answer.status !== 200 || /"error"/.test(answer.body)) throw new Error(`importing ${name} failed: ${answer.status} ${answer.body}`);
  return name;
}

/**
 * Loads `rootfs` as an image said to be for another CPU (`architecture`: arm64, amd64), as one pulled for another
 * machine is: a `docker save` archive made here (its layer, a config naming the architecture, a manifest) sent to the
 * Engine API's load. (The engine's import takes no platform before API 1.44.)
 */
export async function loadImageFor(socket, rootfs, name, architecture) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plue-image-'));
  try {
    execFileSync('tar', ['-C', rootfs, '-cf', path.join(dir, 'layer.tar'), '.'], { env: { PATH: '/usr/bin:/bin' } });
    const layer = crypto.createHash('sha256').update(fs.readFileSync(path.join(dir, 'layer.tar'))).digest('hex');
    const config = JSON.stringify({ architecture, os: 'linux', config: { Env: ['PATH=/usr/local/bin:/usr/bin:/bin'], WorkingDir: '/work' }, rootfs: { type: 'layers', diff_ids: [`sha256:${layer}`] } });
    const configName = `${crypto.createHash('sha256').update(config).digest('hex')}.json`;
    fs.writeFileSync(path.join(dir, configName), config);
    fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify([{ Config: configName, RepoTags: [name], Layers: ['layer.tar'] }]));
    const tar = spawn('tar', ['-C', dir, '-c', 'manifest.json', configName, 'layer.tar'], { stdio: ['ignore', 'pipe', 'inherit'], env: { PATH: '/usr/bin:/bin' } });
    const answer = await engineRequest(socket, 'POST', '/images/load?quiet=1', tar.stdout, 'application/x-tar');
    if (answer.status !== 200 || /"error"/.test(answer.body)) throw new Error(`loading ${name} failed: ${answer.status} ${answer.body}`);
    return name;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Makes the tiny image in the engine unless it has it already; resolves its name. */
export async function ensureTinyImage(socket, { git = false } = {}) {
  const name = git ? tinyGitImage : tinyImage;
  if ((await engineRequest(socket, 'GET', `/images/${encodeURIComponent(name)}/json`)).status === 200) return name;
  const rootfs = tinyRootfs({ git });
  try {
    return await importImage(socket, rootfs, name);
  } finally {
    fs.rmSync(rootfs, { recursive: true, force: true });
  }
}

/** The ids of the engine's containers, running or not. */
export async function containerIds(socket) {
  const answer = await engineRequest(socket, 'GET', '/containers/json?all=1');
  return JSON.parse(answer.body).map((c) => c.Id);
}

/** The engine's containers carrying a label (`plue.task`, or `plue.task=<id>`), running or not, with their labels. */
export async function labelledContainers(socket, label) {
  const filters = encodeURIComponent(JSON.stringify({ label: [label] }));
  return JSON.parse((await engineRequest(socket, 'GET', `/containers/json?all=1&filters=${filters}`)).body);
}

/**
 * Inspects every container carrying `label` while it lives (the Engine API's `docker inspect`), until the test ends:
 * resolves a Map of container id to its configuration's JSON text, for the test to look for keys in. Each container is
 * inspected the moment the engine reports it created (its event stream), so one that lives only a moment is not
 * missed; a poll of the list beside it catches any created before the stream was open.
 */
export function inspectWhileAlive(t, socket, label = 'plue.task') {
  const seen = new Map();
  const pending = new Set();
  const inspect = (id) => {
    if (seen.has(id)) return;
    const p = engineRequest(socket, 'GET', `/containers/${id}/json`)
      .then((answer) => { if (answer.status === 200 && !seen.has(id)) seen.set(id, answer.body); })
      .catch(() => {})
      .finally(() => pending.delete(p));
    pending.add(p);
  };
  const filters = encodeURIComponent(JSON.stringify({ type: ['container'], event: ['create'], label: [label] }));
  const events = http.request({ socketPath: socket, method: 'GET', path: `/events?filters=${filters}` }, (res) => {
    let buffer = '';
    res.setEncoding('utf8');
    res.on('data', (d) => {
      buffer += d;
      for (let end = buffer.indexOf('\n'); end >= 0; end = buffer.indexOf('\n')) {
        const line = buffer.slice(0, end).trim();
        buffer = buffer.slice(end + 1);
        if (!line) continue;
        const event = JSON.parse(line);
        inspect(event.id ?? event.Actor?.ID);
      }
    });
  });
  events.on('error', () => {});
  events.end();
  let on = true;
  const loop = (async () => {
    while (on) {
      for (const c of await labelledContainers(socket, label).catch(() => [])) inspect(c.Id);
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  t.after(async () => {
    on = false;
    events.destroy();
    await loop;
    await Promise.all([...pending]);
  });
  return seen;
}

/**
 * The engine a test file uses: PLUE_TEST_DOCKER_HOST's when set, else a private one started now. Resolves
 * {host, socket, dir, image, stop()}: `stop` ends a private engine and removes its folder (nothing for a given one).
 * With `tls`, a private engine always, also reached at {tcpHost} with the files in {tls} (startPrivateEngine).
 */
export async function useDockerEngine({ git = false, tls = false } = {}) {
  const given = tls ? undefined : process.env.PLUE_TEST_DOCKER_HOST;  // an engine over TLS is always the test's own
  const engine = given ? { host: given, socket: socketOf(given), dir: null } : await startPrivateEngine({ tls });
  if (given) await waitReady(engine.socket, null, 5);
  let stopped = false;
  const stop = async () => {
    if (stopped || !engine.dir) return;
    stopped = true;
    await stopPrivateEngine(engine.dir);
  };
  try {
    engine.image = await ensureTinyImage(engine.socket, { git });
  } catch (e) {
    await stop();
    throw e;
  }
  return { ...engine, stop };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [command, dir] = process.argv.slice(2);
  if (command === 'start') {
    const engine = await useDockerEngine({ git: process.argv.includes('--git'), tls: process.argv.includes('--tls') });
    process.stdout.write(JSON.stringify({ host: engine.host, socket: engine.socket, dir: engine.dir, image: engine.image, tcpHost: engine.tcpHost, tls: engine.tls }) + '\n');
  } else if (command === 'stop' && dir) {
    await stopPrivateEngine(dir);
  } else {
    process.stderr.write('usage: docker-engine.mjs start [--git] [--tls] | stop DIR\n');
    process.exit(2);
  }
}

// Says where it runs: a task's container's first process is its keep-alive loop (TaskContainers.Spec).
export const whereItRuns = `$(tr '\\0' ' ' < /proc/1/cmdline | grep -q 'sleep 3600' && echo container || echo host)`;

/** A stdio MCP server in busybox sh: it answers initialize, tools/list and its one tool, `where`, with where it runs; any other request is not found. */
export const boxMcpServer = String.raw`#!/bin/sh
while IFS= read -r line; do
  id=$(printf '%s' "$line" | sed -nE 's/.*"id":("[^"]*"|[0-9]+).*/\1/p')
  case "$line" in
    *'"method":"initialize"'*)
      version=$(printf '%s' "$line" | sed -nE 's/.*"protocolVersion":"([^"]*)".*/\1/p')
      printf '{"jsonrpc":"2.0","id":%s,"result":{"protocolVersion":"%s","capabilities":{"tools":{}},"serverInfo":{"name":"box","version":"1"}}}\n' "$id" "$version" ;;
    *'"method":"tools/list"'*)
      printf '{"jsonrpc":"2.0","id":%s,"result":{"tools":[{"name":"where","description":"Where this server runs","inputSchema":{"type":"object","properties":{}}}]}}\n' "$id" ;;
    *'"method":"tools/call"'*)
      place=$(tr '\0' ' ' < /proc/1/cmdline | grep -q 'sleep 3600' && echo container || echo host)
      printf '{"jsonrpc":"2.0","id":%s,"result":{"content":[{"type":"text","text":"BOX %s cwd=%s home=%s token=%s keys=%s"}]}}\n' "$id" "$place" "$PWD" "$HOME" "$BOX_TOKEN" "$(env | grep -c -e sk-loopback -e PLUE_)" ;;
    *'"id":'*)
      printf '{"jsonrpc":"2.0","id":%s,"error":{"code":-32601,"message":"Method not found"}}\n' "$id" ;;
  esac
done
`;
