// The real sidecar process driven with raw bytes over stdio: frames are built by hand (or broken on purpose) and
// every message it writes is parsed from stdout as it comes, so a test sees exactly what a client would.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** [command, arguments] running the sidecar: the node suites' choice (PLUE_SIDECAR points at another build, e.g. an unfixed one or the Native AOT one). */
export const { sidecarCommand } = createRequire(import.meta.url)('../../node/support/sidecar.js');

/** The sidecars started and not yet stopped, each with its home. */
const running = new Set();

/** Marks a sidecar (anything with `home` and `stop()`) as one `scratch` stops before it removes the folder holding its home. */
export function stoppedBeforeRemoval(sidecar) {
  running.add(sidecar);
  return () => running.delete(sidecar);
}

/**
 * A scratch folder removed when the test ends. Hooks run in the order they are added, so a sidecar started later on a
 * home in this folder is still running here: it is stopped first, or the removal races what it still writes (ENOTEMPTY).
 */
export function scratch(t, name = 'plue-faults-') {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), name));
  t.after(async () => {
    const under = [dir, fs.realpathSync(dir)].map((d) => d + path.sep);
    await Promise.all([...running].filter((s) => under.some((d) => s.home.startsWith(d))).map((s) => s.stop()));
    // The sidecar's own children die with it, yet a moment after it: one still closing a file (a CLI's config) would
    // make a single pass fail with ENOTEMPTY, so the removal is retried for up to a second.
    fs.rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
  });
  return dir;
}

/** One LSP frame: `Content-Length` of the body's bytes, then the body (an object is serialized, bytes go as they are). */
export function frame(body) {
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body), 'utf8');
  return Buffer.concat([Buffer.from(`Content-Length: ${bytes.length}\r\n\r\n`, 'ascii'), bytes]);
}

/** Rejects with `what` when the promise takes longer than ms: every wait in the suite is bounded. */
export function within(ms, promise, what) {
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`${what}: nothing within ${ms} ms`)), ms); }),
  ]);
}

/**
 * Starts the sidecar on its own PLUE_HOME (under a scratch folder unless given) and stops it when the test
 * ends. Returns the process, a raw writer, requests by id, every message received, and its memory figures.
 */
export function startSidecar(t, { home, env = {} } = {}) {
  // The scratch folder's removal stops first every sidecar on a home in it, this one and any later one reopening the
  // same home (whose own stop hook would come after the removal).
  home ??= path.join(scratch(t), 'home');
  const child = spawn(...sidecarCommand(), {
    // PLUE_KEYCHAIN=off: the key file, never the developer's own keyring (tests/keychain/ tests the keychain).
    env: { ...process.env, PLUE_HOME: home, PLUE_KEYCHAIN: 'off', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr = (stderr + d.toString()).slice(-200_000); });
  child.stdin.on('error', () => { /* the process may be gone: a test then says so */ });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const messages = [];
  const waiters = new Set();
  // Chunks are joined only once a whole frame is there, so a frame of hundreds of MB costs one copy, not one per chunk.
  let chunks = [];
  let buffered = 0;
  let needed = 0;
  child.stdout.on('data', (chunk) => {
    chunks.push(chunk);
    buffered += chunk.length;
    while (buffered >= needed && buffered > 0) {
      let pending = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, buffered);
      const end = pending.indexOf('\r\n\r\n');
      if (end < 0) { chunks = [pending]; needed = buffered + 1; return; }
      const length = Number(/Content-Length: *(\d+)/i.exec(pending.subarray(0, end).toString('ascii'))?.[1]);
      if (pending.length < end + 4 + length) { chunks = [pending]; needed = end + 4 + length; return; }
      const message = JSON.parse(pending.subarray(end + 4, end + 4 + length).toString('utf8'));
      pending = pending.subarray(end + 4 + length);
      chunks = pending.length ? [pending] : [];
      buffered = pending.length;
      needed = 0;
      messages.push(message);
      for (const w of waiters) if (w.match(message)) { waiters.delete(w); w.resolve(message); }
    }
  });
  let nextId = 1000;
  const sidecar = {
    child, home, exited, messages,
    stderr: () => stderr,
    alive: () => child.exitCode === null && child.signalCode === null,
    /** Writes raw bytes to the sidecar's stdin. */
    write(bytes) { child.stdin.write(bytes); },
    /** The first message (already received or still to come) matching `match`, within ms. */
    next(match, ms, what) {
      const seen = messages.find(match);
      if (seen) return Promise.resolve(seen);
      return within(ms, Promise.race([
        new Promise((resolve) => waiters.add({ match, resolve })),
        exited.then(({ code, signal }) => { throw new Error(`${what}: the sidecar exited (code ${code}, signal ${signal}) instead`); }),
      ]), what);
    },
    /** Sends a request and returns the whole reply (result or error). */
    async call(method, params, ms = 20_000) {
      const id = nextId++;
      sidecar.write(frame({ jsonrpc: '2.0', id, method, params }));
      return sidecar.next((m) => m.id === id && !('method' in m), ms, `the reply to ${method}`);
    },
    /** Sends a request and returns its result, failing with the sidecar's error message otherwise. */
    async request(method, params, ms) {
      const reply = await sidecar.call(method, params, ms);
      if (reply.error) throw new Error(`${method} failed: ${reply.error.message}`);
      return reply.result;
    },
    initialize(options = {}) {
      return sidecar.request('initialize', {
        processId: process.pid, clientInfo: { name: 'fault-suite' }, capabilities: {},
        initializationOptions: { plueHome: home, vaultKey: Buffer.alloc(32, 7).toString('base64'), ...options },
      });
    },
    /** Resident and peak resident memory in MiB, from /proc (Linux). */
    memory() {
      const status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8');
      const kb = (name) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
      return { rssMiB: Math.round(kb('VmRSS') / 1024), peakMiB: Math.round(kb('VmHWM') / 1024) };
    },
    async stop() {
      if (sidecar.alive()) child.kill('SIGKILL');
      await exited;
      running.delete(sidecar);
    },
  };
  running.add(sidecar);
  t.after(() => sidecar.stop());
  return sidecar;
}

/** Records a figure for the note (inputs tried, peak memory) in the test's output, where TAP keeps it. */
export function record(t, text) {
  t.diagnostic(text);
}
