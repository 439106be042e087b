// Drives `plue acp` (the built plue.dll) with the official ACP TypeScript SDK as the client, over the child's stdio,
// and a loopback OpenAI-compatible provider that a test scripts per request: text, or a call of one of the chat's tools.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { createRequire } from 'node:module';
import * as acp from '@agentclientprotocol/sdk';

const { sidecarCommand } = createRequire(import.meta.url)('../node/support/sidecar.js');

export const vaultKey = Buffer.alloc(32, 9).toString('base64');

/** A home and a project folder of the test's own (real paths: ACP wants absolute ones). */
export function scratch() {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'plue-acp-test-')));
  const project = path.join(dir, 'project');
  fs.mkdirSync(project);
  return { home: path.join(dir, 'home'), project };
}

/**
 * A loopback /v1/chat/completions server. `reply({ messages, index })` says what to answer: `{ words }` streams text,
 * `{ tool, args }` calls that tool. Every request's body is kept, and its Authorization header (`authorizations`).
 */
export async function fakeProvider(t, reply) {
  const requests = [];
  const authorizations = [];
  const chunk = (delta, finish = null) => `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => {
      const parsed = JSON.parse(body || '{}');
      requests.push(parsed);
      authorizations.push(req.headers.authorization);
      const answer = reply({ messages: parsed.messages ?? [], index: requests.length - 1 });
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      if (answer.tool) {
        res.write(chunk({ role: 'assistant', tool_calls: [{ index: 0, id: `call_${requests.length}`, type: 'function', function: { name: answer.tool, arguments: JSON.stringify(answer.args) } }] }));
        res.write(chunk({}, 'tool_calls'));
      } else {
        for (const word of answer.words) res.write(chunk({ content: word }));
        res.write(chunk({}, 'stop'));
      }
      res.end('data: [DONE]\n\n');
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => { server.closeAllConnections(); server.close(); });
  return { endpoint: `http://127.0.0.1:${server.address().port}/v1`, requests, authorizations };
}

/** The text of the last user or tool message a provider request carries. */
export function lastMessage(messages) {
  const last = messages.at(-1) ?? {};
  const content = typeof last.content === 'string' ? last.content : (last.content ?? []).map((c) => c.text ?? '').join('');
  return { role: last.role, content };
}

/** Spawns `plue acp` in `project` on `home`; returns the child and a raw line view of everything it wrote. */
export function spawnAcp(t, { home, project, args = [] }) {
  const child = spawn(...sidecarCommand('acp', ...args), {
    cwd: project,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, DOTNET_ROOT: process.env.DOTNET_ROOT ?? '', PLUE_HOME: home, PLUE_VAULT_KEY: vaultKey, PLUE_KEYCHAIN: 'off' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  t.after(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  });
  return { child, exited, stderr: () => stderr };
}

/**
 * An SDK client on a spawned `plue acp`: every session/update kept in order, permission questions answered by
 * `answer(params)` (a promise of the response).
 */
export function acpClient(agent, answer) {
  const updates = [];
  const questions = [];
  const app = acp.client({ name: 'plue-acp-test' })
    .onNotification('session/update', ({ params }) => { updates.push(params); })
    .onRequest('session/request_permission', ({ params, signal }) => {
      questions.push(params);
      return answer(params, signal);
    });
  const stream = acp.ndJsonStream(Writable.toWeb(agent.child.stdin), Readable.toWeb(agent.child.stdout));
  const connection = app.connect(stream);
  return { connection, updates, questions };
}

export { acp };
