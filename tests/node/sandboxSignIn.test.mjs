// The agents' sign-in files are credential stores (docs/SANDBOX.md, "The doors"), through the real sidecar, real
// bubblewrap and the real Claude Code CLI (tests/support/install-claude.sh) pointed at a loopback Anthropic API: the CLI
// still signs in with its own ~/.claude/.credentials.json (a subscription's OAuth token, no key given), while a bash
// call under a policy that leaves the home readable reads neither it nor another agent's (~/.codex/auth.json), and the
// CLI's own Bash tool does not read the other agent's either. Skipped, saying why, only where bwrap is missing.
import test from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fakeOpenAI, scratch, startSidecar } from '../faults/support/processes.mjs';

const bwrap = ['/usr/bin/bwrap', '/bin/bwrap', '/usr/local/bin/bwrap'].find((p) => fs.existsSync(p));
const skip = process.platform !== 'linux' ? 'the sandbox is Linux-only (bubblewrap)'
  : !bwrap ? 'bubblewrap is missing: install it (sudo apt-get install bubblewrap, or bash scripts/install-tools.sh)' : false;

function claudeCli() {
  const cli = process.env.PLUE_CLAUDE_CLI || path.join(os.homedir(), '.cache', 'plue-vscode', 'claude', 'node_modules', '.bin', 'claude');
  assert.ok(fs.existsSync(cli), `the claude CLI is needed (${cli}): run tests/support/install-claude.sh`);
  return cli;
}

test('item 3: the agents\' sign-in files are hidden from sandboxed children, and the Claude Code CLI still signs in with its own', { skip, timeout: 240_000 }, async (t) => {
  const { fakeAnthropic, lastTurn } = await import('../support/acpAgent.mjs');
  const dir = fs.realpathSync(scratch(t, 'plue-signin-'));
  const workspace = path.join(dir, 'ws');
  const userHome = path.join(dir, 'user');
  fs.mkdirSync(workspace);
  fs.mkdirSync(path.join(userHome, '.claude'), { recursive: true });
  fs.mkdirSync(path.join(userHome, '.codex'), { recursive: true });
  // A made-up sign-in token with the prefix the CLI's OAuth tokens carry, joined here so no scanner takes it for a key.
  const token = ['sk-ant-oat01', 'loopback', 'signin', 'token'].join('-');
  const claudeSignIn = path.join(userHome, '.claude', '.credentials.json');
  fs.writeFileSync(claudeSignIn, JSON.stringify({ claudeAiOauth: { accessToken: token, refreshToken: 'sk-ant-ort01-loopback-refresh',
    expiresAt: 4102444800000, scopes: ['user:inference', 'user:profile'], subscriptionType: 'pro' } }), { mode: 0o600 });
  const codexSignIn = path.join(userHome, '.codex', 'auth.json');
  fs.writeFileSync(codexSignIn, '{"tokens":"CODEX-AUTH-TEXT"}', { mode: 0o600 });
  const readBoth = `cat ${claudeSignIn} ${codexSignIn}; echo read-done`;

  const s = startSidecar(t, { home: path.join(dir, 'home'), env: {
    HOME: userHome, CLAUDE_CODE_MAX_RETRIES: '0', ANTHROPIC_API_KEY: '', ANTHROPIC_AUTH_TOKEN: '', CLAUDE_CODE_OAUTH_TOKEN: '',
  } });
  await s.initialize({ vaultKey: Buffer.alloc(32, 7).toString('base64'), workspaceFolders: [workspace], trusted: true });
  s.connection.onRequest('permission/request', () => ({ decision: 'allow' }));
  // The home readable, as MCP servers and agents have it: only the credential stores are hidden.
  await s.request('codex/create', { templateId: 'sandbox-policy', title: 'Home readable', fields: {
    filesystem: 'workspace-write', home: 'read-only', network: 'none', folders: [workspace] } });

  // A chat's bash call.
  const openai = await fakeOpenAI(t, ({ body }) => (body.includes('"tool"') ? { words: ['done'] } : { bash: readBoth }));
  const instance = await s.request('instances/create', { displayName: 'Loopback', catalogProviderId: 'openai', endpoint: openai.endpoint, apiKey: 'loopback-signin-key' });
  const chat = await s.request('session/create', { instanceId: instance.id, modelId: 'gpt-signin', allowUnlisted: true });
  await s.request('codex/update', { id: chat.id, version: chat.version, fields: { available_tools: ['bash'] } });
  assert.equal((await s.request('session/send', { sessionId: chat.id, text: 'read them' })).status, 'complete');
  const { messages } = await s.request('session/messages', { id: chat.id });
  const bashOutput = messages.flatMap((m) => m.parts).filter((p) => p.kind === 'tool_result').at(-1).output;
  assert.match(bashOutput, /read-done/, bashOutput);
  assert.doesNotMatch(bashOutput, new RegExp(`${token}|CODEX-AUTH-TEXT|refresh`), bashOutput);

  // The Claude Code CLI, no key given: it signs in with its own file, and its Bash tool reads no other agent's.
  const results = [];
  const anthropic = await fakeAnthropic(t, (body) => {
    if (!(body.tools ?? []).some((tool) => tool.name === 'Bash')) return { words: ['OK'] };
    const turn = lastTurn(body);
    if (turn.results.length > 0) {
      results.push(turn.results[0].text);
      return { words: ['Ran it.'] };
    }
    return { tool: 'Bash', input: { command: `cat ${codexSignIn}; echo read-done`, description: 'Read another agent\'s sign-in' } };
  });
  const cli = await s.request('instances/create', { displayName: 'Claude Code', catalogProviderId: 'claude-code', endpoint: anthropic.endpoint, cliPath: claudeCli() });
  const cliChat = await s.request('session/create', { instanceId: cli.id, modelId: 'claude-sonnet-4-5', allowUnlisted: true });
  const answer = await s.request('session/send', { sessionId: cliChat.id, text: 'Read it' });
  assert.equal(answer.status, 'complete', JSON.stringify(answer).slice(0, 1500));
  assert.ok(anthropic.headers.length > 0 && anthropic.headers.every((h) => h.authorization === `Bearer ${token}`),
    `the CLI signed in with its own file: ${JSON.stringify(anthropic.headers.map((h) => h.authorization))}`);
  assert.equal(results.length, 1, JSON.stringify(answer).slice(0, 1500));
  assert.match(results[0], /read-done/, results[0]);
  assert.doesNotMatch(results[0], /CODEX-AUTH-TEXT/, results[0]);
});
