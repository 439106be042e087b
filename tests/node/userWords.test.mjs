// Users see their own words: no message the sidecar or the extension writes names a protocol method
// ("instances/update", "codex/create"), which a user cannot type anywhere. Read two ways: every string literal of
// server/ and extension/src (logs, metrics and timings aside, which users do not read), and the real sidecar's answer to
// the commonest obstacle, an instance without a key, tested.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { test } from 'node:test';

const require = createRequire(import.meta.url);
const { startSidecar, root } = require('./support/sidecar');

/** Every method of the wire, from the contract's table (`new("instances/update", …)`). */
const methods = [...new Set([...fs.readFileSync(path.join(root, 'server/Protocol/Contract.cs'), 'utf8').matchAll(/new\("([a-zA-Z]+\/[a-zA-Z/]+)"/g)].map(m => m[1]))];
const methodName = new RegExp(`(?<![\\w/])(${methods.map(m => m.replace('/', '\\/')).join('|')})(?![\\w/])`);

/** Lines users never read: comments, log templates, metric descriptions, start-up timing marks. */
const notForUsers = /^\s*(\/\/|\*|\/\*)|LoggerMessage|StartTimings\.Mark|s_steps\.StartActivity|CreateObservable|\._log\.|\.log\.(trace|debug|info|warn|error)\(|output\.(trace|debug|info|warn|error)\(/;

function sourceFiles(dir, ext, skip) {
  const files = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (skip.some(s => file.endsWith(s))) continue;
    if (entry.isDirectory()) files.push(...sourceFiles(file, ext, skip));
    else if (file.endsWith(ext)) files.push(file);
  }
  return files;
}

/** The string literals (C# "…", $"…"; TypeScript '…', "…", `…`) of `file`'s lines users may read that name a method and hold a space (a sentence, not a key). */
function methodsInMessages(file) {
  const found = [];
  fs.readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
    if (notForUsers.test(line)) return;
    for (const [literal] of line.matchAll(/\$?@?"(?:[^"\\]|\\.)*"|`(?:[^`\\]|\\.)*`|'(?:[^'\\]|\\.)*'/g)) {
      if (/\s/.test(literal) && methodName.test(literal)) found.push(`${path.relative(root, file)}:${i + 1}: ${literal}`);
    }
  });
  return found;
}

test('no message of the sidecar or the extension names a protocol method', () => {
  assert.ok(methods.length > 50 && methods.includes('instances/update'), `the contract's methods were not read (${methods.length})`);
  const files = [
    // The wire's own declarations and the JSON-RPC runtime name methods to programs, not to users.
    ...sourceFiles(path.join(root, 'server'), '.cs', ['/bin', '/obj', '/Protocol', '/Rpc']),
    ...sourceFiles(path.join(root, 'extension/src'), '.ts', ['/shared/protocol.ts']),
  ];
  assert.deepEqual(files.flatMap(methodsInMessages), []);
});

test('an instance without a key, tested: the failure says what to do in the window\'s and the command line\'s words', async (t) => {
  const sidecar = startSidecar({ env: { PLUE_VAULT_KEY: Buffer.alloc(32, 5).toString('base64'), OPENAI_API_KEY: '' } });
  t.after(() => sidecar.stop());
  await sidecar.initialize();
  const created = await sidecar.connection.sendRequest('instances/create', { displayName: 'Keyless', catalogProviderId: 'openai', enabled: true });
  const tested = await sidecar.connection.sendRequest('instances/test', { id: created.id });
  assert.equal(tested.ok, false, JSON.stringify(tested));
  assert.match(tested.error, /no API key: give it one with Configure Provider Key on its row in the Providers view \(or plue instances key\)/);
  assert.doesNotMatch(tested.error, methodName);
  assert.doesNotMatch(tested.error, /\{apiKey\}|vault:\/\//);
});

test('testing a program that is no ACP agent says so in words, not "refused initialize: Method not found"', async (t) => {
  const sidecar = startSidecar({ env: { PLUE_VAULT_KEY: Buffer.alloc(32, 6).toString('base64') } });
  t.after(() => sidecar.stop());
  await sidecar.initialize();
  const created = await sidecar.connection.sendRequest('instances/create', { displayName: 'Not an agent', catalogProviderId: 'acp-agent',
    cliPath: process.execPath, cliArgs: [path.join(root, 'tests/fixtures/acp/notAnAgent.mjs')], enabled: true });
  const tested = await sidecar.connection.sendRequest('instances/test', { id: created.id });
  assert.equal(tested.ok, false, JSON.stringify(tested));
  assert.equal(tested.error, "The program of 'Not an agent' answered, but not as an ACP agent: check that its command and arguments start the agent in its ACP mode (for example gemini --experimental-acp).");
});

test('no toast of the extension names a file by its absolute path: a saved file is named by its file name, with Open and Reveal', () => {
  // A message's template that puts a Uri's fsPath (or the path it was joined to) in front of the user.
  const toast = /show(Information|Warning|Error)Message\(|showError\(|showFileSaved\(/;
  const found = sourceFiles(path.join(root, 'extension/src'), '.ts', ['/shared/protocol.ts']).flatMap(file =>
    fs.readFileSync(file, 'utf8').split('\n').map((line, i) => ({ line, at: `${path.relative(root, file)}:${i + 1}` }))
      .filter(({ line }) => toast.test(line) && /\$\{(?![^}]*basename\()[^}]*(fsPath|asRelativePath)[^}]*\}|\$\{target\}/.test(line)).map(({ at, line }) => `${at}: ${line.trim()}`));
  assert.deepEqual(found, []);
});
