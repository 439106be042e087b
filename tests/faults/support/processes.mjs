// Processes for the fault suite: the real sidecar (as `dotnet build` made it) with every byte it sends kept, killed
// with SIGKILL on purpose; loopback providers that stream slowly or call tools; what /proc says of a process tree.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { createRequire } from 'node:module';

const rpc = createRequire(import.meta.url)('vscode-jsonrpc/node');

// The built sidecar and scratch folders are the wire harness's: one place decides which sidecar a case runs.
import { root, sidecarCommand, scratch, stoppedBeforeRemoval } from './wire.mjs';
export { root, sidecarCommand, scratch };

/**
 * Starts the sidecar on `home` with `env` on top of this process's environment. Everything it writes to stdout
 * (the frames) and stderr is kept; it is killed when the test ends.
 */
export function startSidecar(t, { home, env = {} }) {
  // PLUE_KEYCHAIN=off: the key file, never the developer's own keyring (tests/keychain/ tests the keychain).
  const child = spawn(...sidecarCommand(), { env: { ...process.env, PLUE_HOME: home, PLUE_KEYCHAIN: 'off', ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  const out = [];
  let stderr = '';
  child.stdout.on('data', (d) => out.push(d));
  child.stderr.on('data', (d) => { stderr += d.toString(); });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const connection = rpc.createMessageConnection(new rpc.StreamMessageReader(child.stdout), new rpc.StreamMessageWriter(child.stdin));
  connection.onError(() => { /* killed on purpose */ });
  connection.listen();
  const s = {
    child,
    connection,
    home,
    exited,
    pid: child.pid,
    stderr: () => stderr,
    frames: () => Buffer.concat(out),
    request: (method, params) => connection.sendRequest(method, params),
    initialize: (options = {}) => connection.sendRequest('initialize', {
      processId: process.pid,
      clientInfo: { name: 'faults' },
      capabilities: {},
      initializationOptions: { plueHome: home, ...options },
    }),
    async kill9() {
      child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      connection.dispose();
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
      forget();
    },
  };
  // A scratch folder holding this home, made before this sidecar, is removed by a hook that runs before this one.
  const forget = stoppedBeforeRemoval(s);
  t.after(() => s.stop());
  return s;
}

/** Resolves once `check()` is truthy (polled every 20 ms); rejects naming `what` (and `detail()`) after `ms`. */
export async function until(check, what, ms = 20_000, detail = () => '') {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${detail()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function chunk(delta, finish = null) {
  return `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
}

/**
 * A loopback /v1/chat/completions server. Each request takes the next of `replies`: `{ words, gapMs, hold, sentAt }` streams
 * text a word at a time (pushing when each was written to `sentAt`, if given) and ends once the promise `hold` (if any) settles, `{ bash }` calls the bash tool with that command, `{ calls: [{ name, args }] }` calls those tools at once, `{ status, body }` fails with that HTTP error.
 * The last reply repeats. `replies` may instead be a function of the request ({ body, index }) giving its reply. A reply's
 * `usage: { input, output }` reports its tokens. `host`: the address it listens on (a swarm's jobs reach the bridge's).
 */
export async function fakeOpenAI(t, replies, { host = '127.0.0.1' } = {}) {
  const requests = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', async () => {
      requests.push({ path: req.url, headers: req.headers, body });
      // A script may answer later (a promise): what it waits for happens first.
      const reply = await (typeof replies === 'function'
        ? replies({ body, index: requests.length - 1 })
        : replies[Math.min(requests.length - 1, replies.length - 1)]);
      if (reply.status) {
        res.writeHead(reply.status, { 'content-type': 'application/json' });
        res.end(reply.body);
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      // Tool calls: `bash` for one command, or `calls: [{ name, args }]` for any.
      const calls = reply.calls ?? (reply.bash ? [{ name: 'bash', args: { command: reply.bash } }] : null);
      if (calls) {
        const toolCalls = calls.map((c, index) => ({ index, id: index === 0 ? `call_${requests.length}` : `call_${requests.length}_${index}`, type: 'function', function: { name: c.name, arguments: JSON.stringify(c.args) } }));
        res.write(chunk({ role: 'assistant', tool_calls: toolCalls }));
        res.write(chunk({}, 'tool_calls'));
      } else {
        for (const word of reply.words ?? ['done']) {
          if (res.destroyed) return;
          res.write(chunk({ content: word }));
          reply.sentAt?.push(performance.now());
          if (reply.gapMs) await new Promise((r) => setTimeout(r, reply.gapMs));
        }
        if (reply.hold) await reply.hold;
        if (res.destroyed) return;
        res.write(chunk({}, 'stop'));
      }
      // `usage: { input, output }`: the last chunk reports the tokens, as OpenAI does when asked to include usage.
      if (reply.usage) res.write(`data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', choices: [], usage: { prompt_tokens: reply.usage.input, completion_tokens: reply.usage.output, total_tokens: reply.usage.input + reply.usage.output } })}\n\n`);
      res.end('data: [DONE]\n\n');
    });
  });
  await new Promise((resolve) => server.listen(0, host, resolve));
  t.after(() => { server.closeAllConnections(); server.close(); });
  return { endpoint: `http://${host}:${server.address().port}/v1`, requests };
}

/** An OpenAI-compatible instance on `endpoint` and a chat on it. */
export async function chatOn(s, endpoint, apiKey = 'sk-faults-0123456789abcdef') {
  const instance = await s.request('instances/create', { displayName: 'Loopback', catalogProviderId: 'openai', endpoint, apiKey });
  const session = await s.request('session/create', { instanceId: instance.id, modelId: 'gpt-faults' });
  return { instance, session };
}

/** The pids of every descendant of `pid`, from /proc (children of children too). */
export function descendants(pid) {
  const parents = new Map();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(Number(entry), ppid);
    } catch { /* gone meanwhile */ }
  }
  const found = [];
  const queue = [pid];
  while (queue.length) {
    const next = queue.shift();
    for (const [child, parent] of parents) if (parent === next) { found.push(child); queue.push(child); }
  }
  return found;
}

/** Whether a process with this pid still runs (a zombie does not). */
export function running(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/**
 * Kills the sidecar with SIGKILL and checks its whole tree went with it: every descendant gone, and `ticks`, a file a
 * descendant kept appending to, no longer growing.
 */
export async function killedWithItsTree(s, ticks) {
  const children = descendants(s.pid);
  assert.ok(children.length > 0, 'the sidecar has children to kill');

  await s.kill9();

  await until(() => children.every((pid) => !running(pid)), 'every process of the sidecar gone after kill -9', 10_000,
    () => children.filter(running).map((pid) => `${pid}: ${fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ')}`).join('\n'));
  const size = fs.statSync(ticks).size;
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(fs.statSync(ticks).size, size, 'nothing writes after the sidecar died');
}

/** A process's argv and environment as the kernel shows them to anyone who may read /proc/<pid>. */
export function procView(pid) {
  const read = (name) => { try { return fs.readFileSync(`/proc/${pid}/${name}`); } catch { return Buffer.alloc(0); } };
  return { pid, cmdline: read('cmdline'), environ: read('environ'), comm: read('comm').toString().trim() };
}

/** The forms a secret might be found in: raw, base64 (padded or not, URL-safe) and URL-encoded. */
export function secretForms(secret) {
  const base64 = Buffer.from(secret).toString('base64');
  return [...new Set([secret, base64, base64.replace(/=+$/, ''), Buffer.from(secret).toString('base64url'), encodeURIComponent(secret)])];
}

/** Every file under dir (recursively), as [path, bytes]. */
export function filesUnder(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => path.join(dir, name))
    .filter((file) => { try { return fs.statSync(file).isFile(); } catch { return false; } })
    .map((file) => [file, fs.readFileSync(file)]);
}

/** "where: form" for each place (name → bytes or text) that holds any form of any secret. */
export function leaks(places, secrets) {
  const found = [];
  for (const [where, content] of places) {
    const bytes = Buffer.isBuffer(content) ? content : Buffer.from(String(content));
    for (const secret of secrets) for (const form of secretForms(secret)) if (bytes.includes(form)) found.push(`${where}: ${form === secret ? 'raw' : form}`);
  }
  return found;
}

/** git in `cwd` without the machine's config; its output. */
export const git = (cwd, ...args) => execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1' } });

/** A new git repository at `dir` holding f.txt ("one two three", a line each), committed. */
export function committedRepository(dir, files = {}) {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'f.txt'), 'one\ntwo\nthree\n');
  // Others to commit with it (a hooks file, a script), executable.
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text, { mode: 0o755 });
  }
  git(dir, 'init', '--quiet');
  git(dir, 'add', '--all');
  git(dir, '-c', 'user.name=Test', '-c', 'user.email=test@example.com', 'commit', '--quiet', '-m', 'first');
}
