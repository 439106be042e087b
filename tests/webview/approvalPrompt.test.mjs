// What an approval shows (extension/src/tasks/approvalPrompt.ts, loaded from source):
// the title and preview made from a permission/request's input, secrets masked, and
// the notification's text whose links carry the choices.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { loadSource } from './harness.mjs';

let describeApproval;
let maskSecrets;
let noticeOf;
let narrowLabel;
let narrowAnswer;
let hostLabel;
let everywhereLabel;
let narrowestAnswer;

before(async () => {
  ({ describeApproval, maskSecrets, noticeOf, narrowLabel, narrowAnswer, hostLabel, everywhereLabel, narrowestAnswer } = await loadSource('extension/src/shared/approvalPrompt.ts'));
});

const ask = (tool, input, over = {}) => describeApproval('approval-1', { taskId: 't1', tool, input, ...over }, 'task "Write the parser"');

test('describeApproval_Bash_TitlesTheCommandAndPreviewsItWhole', () => {
  const prompt = ask('bash', { command: 'npm test -- --grep parser', description: 'Run the parser tests' });
  assert.equal(prompt.title, 'Run npm test -- --grep parser');
  assert.deepEqual(prompt.preview, { kind: 'command', text: 'npm test -- --grep parser' });
  assert.equal(prompt.reason, 'Run the parser tests', "the CLI's description stands in for a missing reason");
  assert.equal(prompt.taskId, 't1');
  assert.equal(ask('Bash', { command: 'ls' }, { reason: 'look around' }).reason, 'look around', 'a reason is kept over the description');
});

test('describeApproval_Write_CountsLinesAndPreviewsTheContent', () => {
  const prompt = ask('write', { path: 'src/parser.ts', content: 'export function parse() {\n  return 1;\n}' });
  assert.equal(prompt.title, 'Write src/parser.ts (3 lines)');
  assert.deepEqual(prompt.preview, { kind: 'content', text: 'export function parse() {\n  return 1;\n}' });
  assert.equal(ask('Write', { file_path: '/w/a.md', content: 'x' }).title, 'Write /w/a.md (1 line)', "Claude Code's file_path");
  assert.equal(ask('write', { path: 'b.md', content: 'one\ntwo\n' }).title, 'Write b.md (2 lines)', 'a final newline is no extra line');
  // The sidecar's tools give their call as the reason: not said twice.
  assert.equal(ask('write', { path: 'src/a.ts', content: 'x' }, { reason: 'Write src/a.ts' }).reason, undefined);
  assert.equal(ask('bash', { command: 'npm test' }, { reason: 'Run: npm test' }).reason, undefined);
  assert.equal(ask('bash', { command: 'npm test' }, { reason: 'Check the parser still passes' }).reason, 'Check the parser still passes');
});

test('describeApproval_Edit_ShowsTheChangeAsADiff', () => {
  assert.deepEqual(ask('edit', { path: 'src/a.ts', old_string: 'let a = 1;', new_string: 'const a = 1;\nconst b = 2;' }).preview,
    { kind: 'diff', text: '- let a = 1;\n+ const a = 1;\n+ const b = 2;' });
  const multi = ask('MultiEdit', { file_path: 'src/b.ts', edits: [{ old_string: 'x', new_string: 'y' }, { oldText: 'p', newText: 'q' }] });
  assert.equal(multi.title, 'Edit src/b.ts (2 changes)');
  assert.equal(multi.preview.text, '- x\n+ y\n…\n- p\n+ q');
});

test('describeApproval_SpendCap_CarriesTheAmounts', () => {
  const prompt = describeApproval('approval-2', { taskId: 't1', tool: 'spend_cap', input: { spentUsd: 2.0123, capUsd: 2 } }, 'task "Big job"');
  assert.deepEqual(prompt.spendCap, { spentUsd: 2.0123, capUsd: 2 });
  assert.equal(prompt.title, 'Reached its spend cap: $2.01 of $2.00');
  assert.equal(prompt.preview, undefined);
});

test('describeApproval_MergeChanges_TitlesTheSubTaskAndItsFiles_WithoutARawPreview', () => {
  const prompt = ask('merge_changes', { task: 'codex://tasks/tests' }, { reason: 'Merge the changes of "Tests" (a.ts) into the workspace' });
  assert.equal(prompt.title, 'Merge the changes of "Tests" (a.ts) into the workspace');
  assert.equal(prompt.preview, undefined);
  assert.equal(prompt.reason, undefined, 'the reason is the title: not said twice');
  assert.equal(ask('merge_changes', { task: 'x' }).title, 'Merge a sub-task\'s changes into the workspace');
});

test('describeApproval_UnknownTool_PreviewsTheInputAsJson', () => {
  const prompt = ask('mcp__github__create_issue', { title: 'Bug', body: 'It breaks' });
  assert.equal(prompt.title, 'Use create_issue (MCP server github)', 'an MCP tool reads by its name and its server\'s, not its wire name');
  assert.equal(prompt.preview.kind, 'json');
  assert.deepEqual(JSON.parse(prompt.preview.text), { title: 'Bug', body: 'It breaks' });
  assert.equal(ask('mystery', {}).preview, undefined, 'an empty input shows no preview');
});

test('describeApproval_LongContent_IsClippedSayingHowMuchIsLeft', () => {
  const content = Array.from({ length: 100 }, (_, i) => `line ${i + 1}`).join('\n');
  const prompt = ask('write', { path: 'big.txt', content });
  assert.equal(prompt.title, 'Write big.txt (100 lines)');
  const lines = prompt.preview.text.split('\n');
  assert.equal(lines.length, 61);
  assert.equal(lines.at(-1), '… 40 more lines');
  // The question is whole up to 2,000 characters (the card and the notification wrap it); past that the preview holds the rest.
  assert.equal(ask('bash', { command: 'echo ' + 'x'.repeat(300) }).title, 'Run echo ' + 'x'.repeat(300));
  assert.ok(ask('bash', { command: 'echo ' + 'x'.repeat(3000) }).title.length < 2010, 'a huge command makes a huge title');
});

// Fake secrets in the shapes the masks know, put together here so no line of this file looks like a real credential.
const fake = (prefix, separator) => prefix + separator + 'FAKE0TEST0ONLY0'.repeat(2);
const openAIKey = fake('sk-proj', '-');
const groqKey = fake('gsk', '_');
const awsKeyId = 'AKIA' + 'FAKE0TEST0ONLY00';
const privateKeyBlock = ['BEGIN', 'END'].map(edge => `-----${edge} RSA ${'PRIVATE'} KEY-----`).join('\nnot-a-key\n');

test('describeApproval_Secrets_AreMaskedInTitlePreviewAndReason', () => {
  const bash = ask('bash', { command: `curl -H "Authorization: Bearer ${openAIKey}" https://api.example.com && export GROQ_API_KEY=${groqKey}` }, { reason: `uses ${openAIKey}` });
  for (const text of [bash.title, bash.preview.text, bash.reason]) {
    assert.ok(!text.includes(openAIKey), `the key shows in: ${text}`);
    assert.ok(!text.includes(groqKey), `the Groq key shows in: ${text}`);
  }
  assert.match(bash.preview.text, /«secret»/);
  const write = ask('write', { path: '.env', content: `DB_PASSWORD=hunter2x9\nMAX_TOKENS=4096\nAPI_KEY = "${awsKeyId}"\nconst token = readToken();` });
  assert.equal(write.preview.text, 'DB_PASSWORD=«secret»\nMAX_TOKENS=4096\nAPI_KEY = "«secret»"\nconst token = readToken();');
  // The extension's own secrets (the vault key) go through the Redactor it passes in.
  const vault = describeApproval('approval-3', { tool: 'bash', input: { command: 'echo VAULTKEY123' } }, 'a chat', text => text.replaceAll('VAULTKEY123', '«vault key»'));
  assert.equal(vault.preview.text, 'echo «vault key»');
  assert.equal(maskSecrets(privateKeyBlock), '«secret»');
  assert.equal(maskSecrets('plain words and max_tokens: 4096'), 'plain words and max_tokens: 4096');
});

test('noticeOf_TheWholeQuestion_AndRealButtons_ShowDiffForAFileChange', () => {
  const buttons = prompt => noticeOf(prompt).buttons.map(b => [b.label, b.choice]);
  const task = ask('write', { path: 'src/[id].ts', content: 'x' });
  assert.deepEqual(buttons(task), [['Allow', 'allow'], ['Deny…', 'deny'], ['Show Diff', 'showDiff'], ['Always…', 'always']]);
  assert.equal(noticeOf(task).message, 'Task "Write the parser" asks: Write src/[id].ts (1 line)?');
  const command = `npm test -- ${'--grep long '.repeat(20)}--end`;
  const chat = describeApproval('approval-4', { sessionId: 's1', tool: 'Bash', input: { command } }, 'chat "Refactor"');
  assert.deepEqual(buttons(chat).map(([label]) => label), ['Allow', 'Deny…', 'Show', 'Always…'], 'a command has no diff: Show opens its chat');
  assert.ok(noticeOf(chat).message.includes(command.replace(/\s+/g, ' ').trim()), 'the question was cut');
  const cap = describeApproval('approval-5', { taskId: 't1', tool: 'spend_cap', input: { spentUsd: 2, capUsd: 2 } }, 'task "Big"');
  assert.deepEqual(buttons(cap).map(([label]) => label), ['Raise cap…', 'Stop', 'Show']);
});

test('proposedText_WriteAndEdit_IsTheFileAsTheToolWouldLeaveIt_AndAWriteOrEditOfAFileOffersTheDiff', async () => {
  const { proposedText } = await loadSource('extension/src/shared/approvalPrompt.ts');
  const now = 'export {};\nexport const a = 1;\nexport const a2 = 1;\n';
  assert.equal(proposedText('write', { path: 'src/x.ts', content: 'new file\n' }, now), 'new file\n');
  assert.equal(proposedText('edit', { path: 'src/x.ts', old_string: 'export {};', new_string: 'export { toCsv };' }, now), 'export { toCsv };\nexport const a = 1;\nexport const a2 = 1;\n');
  assert.equal(proposedText('edit', { path: 'src/x.ts', old_string: '= 1', new_string: '= 2', replace_all: true }, now), 'export {};\nexport const a = 2;\nexport const a2 = 2;\n');
  assert.equal(proposedText('edit', { path: 'src/x.ts', old_string: '= 1', new_string: '= $&' }, now), 'export {};\nexport const a = $&;\nexport const a2 = 1;\n', 'replacement patterns are text');
  assert.equal(proposedText('edit', { path: 'src/x.ts', old_string: 'not there', new_string: 'x' }, now), undefined, 'an edit whose text is gone');
  assert.equal(proposedText('multiedit', { path: 'src/x.ts', edits: [{ old_string: 'a =', new_string: 'b =' }, { old_string: 'b = 1', new_string: 'b = 3' }] }, now), 'export {};\nexport const b = 3;\nexport const a2 = 1;\n');

  assert.equal(ask('write', { path: 'src/x.ts', content: 'x' }).diffable, true);
  assert.equal(ask('edit', { path: 'src/x.ts', old_string: 'a', new_string: 'b' }).diffable, true);
  assert.equal(ask('write', { content: 'x' }).diffable, false, 'no file to compare with');
  assert.equal(ask('bash', { command: 'ls' }).diffable, undefined);
});

test('describeApproval_SuggestedPrefixOrGlob_OffersAlwaysForJustThat', () => {
  const bash = ask('bash', { command: 'npm test -- --watch=false' }, { suggestedPrefix: 'npm test' });
  assert.deepEqual(bash.narrow, { kind: 'prefix', value: 'npm test' });
  assert.equal(narrowLabel(bash), 'Always allow `npm test` in this workspace');
  assert.deepEqual(narrowAnswer(bash.narrow), { commandPrefix: 'npm test' });
  const write = ask('write', { path: 'src/parser/a.ts', content: 'x' }, { suggestedGlob: 'src/parser/**' });
  assert.equal(narrowLabel(write), 'Always allow write src/parser/** in this workspace');
  assert.deepEqual(narrowAnswer(write.narrow), { pathGlob: 'src/parser/**' });
  // A command with shell operators gets no suggestion from the sidecar: only the whole tool is offered.
  const chained = ask('bash', { command: 'npm test && npm publish' });
  assert.equal(chained.narrow, undefined);
  assert.equal(narrowLabel(chained), undefined);
  // A secret in the suggestion is masked like the rest of the question.
  assert.doesNotMatch(ask('bash', { command: 'x' }, { suggestedPrefix: `curl ${['sk', 'ant', 'abcdefghijklmnopqrstuvwxyz'].join('-')}` }).narrow.value, /abcdefghijklmnop/);
});

test('describeApproval_SuggestedHost_OffersThePrefixToThatHost_AndEachNarrowestRuleEverywhere', () => {
  const curl = ask('bash', { command: 'curl -s http://127.0.0.1:8080/ok' }, { suggestedPrefix: 'curl', suggestedHost: '127.0.0.1:8080' });
  assert.equal(curl.host, '127.0.0.1:8080');
  assert.equal(hostLabel(curl), 'Always allow `curl` to 127.0.0.1:8080 in this workspace');
  assert.equal(everywhereLabel(curl), 'Always allow `curl` to 127.0.0.1:8080 everywhere');
  assert.deepEqual(narrowestAnswer(curl), { commandPrefix: 'curl', host: '127.0.0.1:8080' });
  const npmTest = ask('bash', { command: 'npm test' }, { suggestedPrefix: 'npm test' });
  assert.equal(hostLabel(npmTest), undefined);
  assert.equal(everywhereLabel(npmTest), 'Always allow `npm test` everywhere');
  const write = ask('write', { path: 'src/parser/a.ts', content: 'x' }, { suggestedGlob: 'src/parser/**' });
  assert.equal(everywhereLabel(write), 'Always allow write src/parser/** everywhere');
  assert.deepEqual(narrowestAnswer(write), { pathGlob: 'src/parser/**' });
  const chained = ask('bash', { command: 'npm test && npm publish' });
  assert.equal(everywhereLabel(chained), 'Always allow bash everywhere');
  assert.deepEqual(narrowestAnswer(chained), {});
});

test('describeApproval_AgentHook_TitlesTheHookAndItsFile_AndPreviewsTheWholeFile', () => {
  const content = '{"hooks": {"UserPromptSubmit": [{"hooks": [{"type": "command", "command": "touch ran"}]}]}}';
  const prompt = ask('agent_hook', { path: '.claude/settings.json', command: 'touch ran', event: 'UserPromptSubmit', content });
  assert.equal(prompt.title, 'Run the hook touch ran from .claude/settings.json');
  assert.deepEqual(prompt.preview, { kind: 'content', text: content });
});

test('describeApproval_CustomCommand_TitlesTheCommandAndItsFile_AndPreviewsTheWholeFile (item 1)', () => {
  const content = '---\nallowed-tools: Bash\n---\nLATE-BODY $ARGUMENTS\n';
  const prompt = ask('custom_command', { path: '.claude/commands/late.md', command: '/late', content });
  assert.equal(prompt.title, 'Run the command /late from .claude/commands/late.md');
  assert.deepEqual(prompt.preview, { kind: 'content', text: content });
});

test('describeApproval_McpServerFile_TitlesTheServerAndItsFile_AndPreviewsTheWholeFile', () => {
  const content = '{"mcpServers": {"late": {"command": "node", "args": ["server.js"]}}}';
  const prompt = ask('mcp_server_file', { path: '.mcp.json', server: 'late', command: 'node server.js', content });
  assert.equal(prompt.title, 'Start the MCP server late from .mcp.json');
  assert.deepEqual(prompt.preview, { kind: 'content', text: content });
});

test('noticeOf_AnAgentsAbsolutePaths_AreShortenedToTheirFolderAndName (issue 68 item 4)', () => {
  const prompt = { ...ask('fs_write', {}), title: 'Edit /tmp/plue-x/acp-project/inside.txt', reason: 'Write /home/me/outside/escape.txt' };
  const { message } = noticeOf(prompt);
  assert.equal(message, 'Task "Write the parser" asks: Edit …/acp-project/inside.txt? (Write …/outside/escape.txt)');
  const windows = noticeOf({ ...prompt, title: 'Edit C:\\Users\\me\\project\\a.ts', reason: undefined }).message;
  assert.match(windows, /asks: Edit …\\project\\a\.ts\?$/);
  assert.match(noticeOf({ ...prompt, title: 'Write src/a.ts (3 lines)', reason: undefined }).message, /asks: Write src\/a\.ts \(3 lines\)\?$/, 'a relative path stays as it is');
});
