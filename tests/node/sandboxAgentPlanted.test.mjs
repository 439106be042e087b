// Item 3 of the trust work ("nothing planted") through the hosted agents: the real Claude Code CLI and an ACP agent
// (Zed's adapter) running sandboxed cannot create the workspace's .envrc (missing when the agent started: its
// sandbox's watch refuses it) nor .vscode/tasks.json (its folder a read-only placeholder while the agent runs); each
// refusal is a denial on the card of the tool call that made it, with its path, and nothing is left in the
// workspace. "Allow this once" starts the agent again at the next message with the place writable. The real sidecar,
// real bubblewrap, both agents against a loopback Anthropic API. Skipped, saying why, where bwrap is missing.
import test from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { scratch, startSidecar } from '../faults/support/processes.mjs';
import { acpInstance, fakeAnthropic, lastTurn } from '../support/acpAgent.mjs';

const bwrap = ['/usr/bin/bwrap', '/bin/bwrap', '/usr/local/bin/bwrap'].find((p) => fs.existsSync(p));
const skip = process.platform !== 'linux' ? 'the sandbox is Linux-only (bubblewrap)'
  : !bwrap ? 'bubblewrap is missing: install it (sudo apt-get install bubblewrap, or bash scripts/install-tools.sh)' : false;

// Run by the agent's own Bash tool: tries both planted places, says what each got.
const plant = 'for f in .envrc .vscode/tasks.json; do mkdir -p "$(dirname $f)"; if echo planted > $f; then echo "$f written"; else echo "$f refused"; fi; done 2>&1';

/** A loopback Anthropic API whose model runs `plant` with its own Bash once a turn; the tool's results land in `seen`. */
function planting(t, seen) {
  return fakeAnthropic(t, (body) => {
    if (!(body.tools ?? []).some((tool) => tool.name === 'Bash')) return { words: ['OK'] };
    const turn = lastTurn(body);
    if (turn.results.length > 0) {
      seen.push(turn.results[0].text);
      return { words: ['Ran it.'] };
    }
    return { tool: 'Bash', input: { command: plant, description: 'Set the folder up' } };
  });
}

function claudeCli() {
  const cli = process.env.PLUE_CLAUDE_CLI || path.join(os.homedir(), '.cache', 'plue-vscode', 'claude', 'node_modules', '.bin', 'claude');
  assert.ok(fs.existsSync(cli), `the claude CLI is needed (${cli}): run tests/support/install-claude.sh`);
  return cli;
}

test('sandboxAgentPlanted: the Claude Code CLI and an ACP agent cannot create .envrc or .vscode/tasks.json; each refusal is a denial with Allow this once', { skip, timeout: 300_000 }, async (t) => {
  const dir = fs.realpathSync(scratch(t, 'plue-agent-planted-'));
  const cliHome = path.join(dir, 'cli-home');
  // Its config folder there, as on a machine the CLI was used on: one missing is a place the sandbox cannot show it.
  fs.mkdirSync(path.join(cliHome, '.claude'), { recursive: true });
  const s = startSidecar(t, { home: path.join(dir, 'home'), env: {
    HOME: cliHome, CLAUDE_CONFIG_DIR: path.join(cliHome, '.claude'), CLAUDE_CODE_MAX_RETRIES: '0',
    ANTHROPIC_API_KEY: '', ANTHROPIC_AUTH_TOKEN: '', CLAUDE_CODE_OAUTH_TOKEN: '',
  } });
  const workspace = path.join(dir, 'ws');
  fs.mkdirSync(workspace);
  await s.initialize({ vaultKey: Buffer.alloc(32, 7).toString('base64'), workspaceFolders: [workspace], trusted: true });
  s.connection.onRequest('permission/request', () => ({ decision: 'allow' }));
  const results = async (id) => (await s.request('session/messages', { id })).messages.flatMap((m) => m.parts).filter((p) => p.kind === 'tool_result');
  const envrc = path.join(workspace, '.envrc');
  const tasks = path.join(workspace, '.vscode', 'tasks.json');

  const check = async (chat, seen, { allowOnce }) => {
    const sent = await s.request('session/send', { sessionId: chat.id, text: 'Set the folder up' });
    assert.equal(sent.status, 'complete', JSON.stringify(sent).slice(0, 1500));
    assert.match(seen.at(-1), /\.envrc refused[\s\S]*\.vscode\/tasks\.json refused/, seen.at(-1));
    assert.ok(!fs.existsSync(envrc), '.envrc was left in the workspace');
    assert.ok(!fs.existsSync(tasks), '.vscode/tasks.json was left in the workspace');
    // On the card of the call that made them; what the agent is refused outside its calls (the adapter's npm cache in
    // the read-only home) is a card of its own. A folder it makes in its own writable config is no refusal.
    const cards = (await results(chat.id)).filter((p) => p.sandboxDenials);
    const denied = cards.filter((p) => p.toolCallId);
    assert.equal(denied.length, 1, JSON.stringify(cards));
    const own = cards.flatMap((p) => p.sandboxDenials).filter((d) => d.what.startsWith(path.join(dir, 'claude-config')) || d.what.startsWith(path.join(cliHome, '.claude')));
    assert.deepEqual(own, [], 'a write in its own config folder was called a refusal');
    const paths = denied[0].sandboxDenials.map((d) => `${d.kind} ${d.what}`);
    for (const place of [envrc, tasks]) assert.ok(paths.includes(`path ${place}`), `${place} is not a denial: ${JSON.stringify(paths)}`);
    if (!allowOnce) return;
    const allowed = await s.request('sandbox/allowOnce', { id: chat.id, partId: denied[0].id });
    assert.match(allowed.output, /starts again with it writable at the next message/);
    const again = await s.request('session/send', { sessionId: chat.id, text: 'Set the folder up' });
    assert.equal(again.status, 'complete', again.error);
    assert.match(seen.at(-1), /\.envrc written[\s\S]*\.vscode\/tasks\.json written/, seen.at(-1));
    assert.equal(fs.readFileSync(envrc, 'utf8'), 'planted\n');
    fs.rmSync(envrc);
    fs.rmSync(path.join(workspace, '.vscode'), { recursive: true });
  };

  const cliSeen = [];
  const cliAnthropic = await planting(t, cliSeen);
  const cli = await s.request('instances/create', { displayName: 'Claude Code', catalogProviderId: 'claude-code', endpoint: cliAnthropic.endpoint,
    apiKey: 'loopback-anthropic-key-cli', cliPath: claudeCli() });
  const cliChat = await s.request('session/create', { instanceId: cli.id, modelId: 'claude-sonnet-4-5', allowUnlisted: true });
  await check(cliChat, cliSeen, { allowOnce: true });

  const acpSeen = [];
  const acpAnthropic = await planting(t, acpSeen);
  const agent = await acpInstance((m, p) => s.request(m, p), { endpoint: acpAnthropic.endpoint, dir });
  const acpChat = await s.request('session/create', { instanceId: agent.id, modelId: 'agent' });
  await check(acpChat, acpSeen, { allowOnce: true });
});
