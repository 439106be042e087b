// The chat webview bundle (out/webview/chat.js) in Debian's chromium, with the
// extension's own HTML and CSP and a stand-in for the VS Code API (harness.mjs).
// Checks rendering, sanitizing, streaming and the messages the webview posts.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../support/codeServer.mjs';
import { textContrast } from '../support/contrast.mjs';
import { fromHost as host, screenshots, vscodeApiShim, webviewSuite } from './harness.mjs';

const suite = webviewSuite();

const usage = (input, output) => ({ input, output, cacheRead: 0, cacheWrite: 0, reasoning: 0 });
const session = (over = {}) => ({
  id: 's1', slug: 'quiet-otter', title: 'Refactor the parser', instanceId: 'anthropic-work', modelId: 'claude-sonnet-4-5',
  status: 'idle', usage: usage(12_400, 1_830), costUsd: null, messageCount: 2, contextWindow: 200_000, contextTokens: 12_400,
  createdAt: '2026-11-21T10:00:00Z', updatedAt: '2026-11-21T10:05:00Z', ...over,
});
const text = (id, t) => ({ id, kind: 'text', text: t });
const message = (id, role, parts, over = {}) => ({ id, sessionId: 's1', role, status: 'complete', parts, createdAt: '2026-11-21T10:00:00Z', ...over });

const answer = [
  '## Parsing plan',
  'Use a **recursive descent** parser; see [the docs](https://example.com/docs).',
  '',
  '- tokenize',
  '- parse `expr`',
  '',
  '```ts',
  'const x = parse("1 + 2");',
  '```',
].join('\n');

const conversation = () => [
  message('u1', 'user', [text('p1', 'How should I parse arithmetic?'), { id: 'p2', kind: 'file', path: 'src/parser.ts', range: { startLine: 3, endLine: 9 }, content: 'export function parse() {}' }]),
  message('a1', 'assistant', [
    { id: 'r1', kind: 'reasoning', text: 'The user wants a **parser**. Precedence climbing or recursive descent.' },
    { id: 't1', kind: 'tool_use', toolCallId: 'c1', name: 'read_file', input: { path: 'src/parser.ts' }, state: 'completed', output: 'export function parse() {}' },
    text('x1', answer),
    { id: 's1', kind: 'step', model: 'claude-sonnet-4-5', usage: usage(12_400, 1_830), costUsd: null, latencyMs: 4200 },
  ], { modelId: 'claude-sonnet-4-5' }),
];

/** A fresh page with the chat loaded and initialised with `messages`. */
async function openChat({ messages = conversation(), sessionOver = {}, theme = 'dark', hasMore = false } = {}) {
  const page = await suite.browser.newPage({ viewport: { width: 900, height: 900 } });
  const errors = [];
  const requests = [];
  page.on('pageerror', error => errors.push(error.message));
  page.on('request', request => requests.push(request.url()));
  await page.addInitScript(vscodeApiShim);
  await page.goto(suite.harness.pageUrl(theme));
  await page.waitForFunction(() => window.__posted.some(m => m.type === 'ready'));
  assert.deepEqual(await page.evaluate(() => window.__state), { sessionId: 's1' }, 'the session id was not kept before init');
  await host(page, { type: 'init', session: session(sessionOver), messages, hasMore, instanceName: 'Anthropic (work)' });
  await page.locator('.chat-title', { hasText: sessionOver.title ?? 'Refactor the parser' }).waitFor();
  return { page, errors, requests };
}

/** Delivers a host → webview message the way VS Code does. */

const posted = page => page.evaluate(() => window.__posted);
const lastPosted = async page => (await posted(page)).at(-1);

test('renders the session header, markdown, code blocks, reasoning and tools', async () => {
  const { page, errors, requests } = await openChat();
  // The header shows the chat (title, tokens, context, cost); the model is shown once, in the composer.
  assert.equal(await page.locator('.chat-header .chat-title').innerText(), 'Refactor the parser');
  assert.equal(await page.locator('.chat-header').getByRole('button', { name: /model/i }).count(), 0);
  assert.doesNotMatch(await page.locator('.chat-header').innerText(), /claude-sonnet-4-5/);
  assert.equal(await page.locator('.composer-model').innerText(), 'Anthropic (work) · claude-sonnet-4-5');
  assert.equal(await page.locator('.chat-cost').innerText(), 'cost unknown');
  assert.equal(await page.locator('.chat-tokens').innerText(), '12.4k in · 1.8k out');
  assert.equal(await page.locator('.context-fill').innerText(), '6% of context');
  assert.equal(await page.locator('.context-fill').getAttribute('aria-valuenow'), '6');
  assert.equal(await page.locator('.context-fill.context-warning').count(), 0, 'no warning at 6%');
  // Near the window's end the header warns, and says what to do.
  await host(page, { type: 'session', session: session({ contextTokens: 170_000 }), instanceName: 'Anthropic (work)' });
  await page.locator('.context-fill.context-warning', { hasText: '85% of context' }).waitFor();
  assert.match(await page.locator('.context-fill').getAttribute('title'), /Fork from an earlier message or start a new chat/);
  await host(page, { type: 'session', session: session({}), instanceName: 'Anthropic (work)' });
  const reply = page.locator('article.message-assistant');
  assert.equal(await reply.locator('h2').innerText(), 'Parsing plan');
  assert.equal(await reply.locator('.part-text strong').innerText(), 'recursive descent');
  assert.equal(await reply.locator('li').count(), 2);
  assert.equal(await reply.locator('.code-block code.language-ts').innerText(), 'const x = parse("1 + 2");');
  assert.equal(await reply.locator('.code-lang').innerText(), 'ts');
  assert.equal(await reply.locator('.part-tool .tool-state').innerText(), 'completed');
  assert.match(await reply.locator('.part-step').innerText(), /cost unknown/);
  assert.equal(await page.locator('.part-file summary').innerText(), 'src/parser.ts:3-9');
  assert.deepEqual(await page.evaluate(() => window.__state), { sessionId: 's1' });
  await page.screenshot({ path: path.join(screenshots, 'chat-webview-dark.png') });
  assert.deepEqual(errors, []);
  assert.deepEqual(requests.filter(url => !url.startsWith(suite.harness.origin)), [], 'the webview fetched something remote');
  await page.close();
});

test('a known cost is shown in dollars and a light theme follows the variables', async () => {
  const { page } = await openChat({ sessionOver: { costUsd: 0.0123 }, theme: 'light' });
  assert.equal(await page.locator('.chat-cost').innerText(), '$0.0123');
  await page.screenshot({ path: path.join(screenshots, 'chat-webview-light.png') });
  await page.close();
});

test('a total with an unpriced part reads "at least", a stopped reply\'s estimate "~", and each says its source on hover', async () => {
  const stopped = message('a2', 'assistant', [text('x2', 'Half an'), { id: 'st', kind: 'step', model: 'gpt-5-mini', usage: { ...usage(1_200, 40), estimated: true }, costUsd: 0.0004, costSource: 'estimate', finishReason: 'cancelled' }],
    { status: 'cancelled', costUsd: 0.0004, costSource: 'estimate' });
  const { page } = await openChat({ messages: [...conversation(), stopped], sessionOver: { costUsd: 0.0123, costSources: ['catalog', 'estimate', 'unknown'] } });
  const cost = page.locator('.chat-cost');
  assert.equal(await cost.innerText(), 'at least $0.0123');
  assert.match(await cost.getAttribute('title'), /replaced replies included/);
  assert.match(await cost.getAttribute('title'), /no known price/);
  const step = page.locator('.part-step').last();
  assert.match(await step.innerText(), /~1\.2k in · ~40 out · ~\$0\.0004/);
  assert.match(await step.getAttribute('title'), /estimated from the text of a stopped or cut reply/);
  await page.close();
});

/** The contrast of the first element each selector finds, with the selector. */
const codeContrasts = (page, selectors) =>
  Promise.all(selectors.map(async selector => ({ selector, ...await page.locator(selector).first().evaluate(textContrast) })));

const cutMessage = 'Box Ollama read only 2,048 of the about 4,394 prompt tokens sent: it dropped the start of the conversation (the goal and the instructions) without an error. '
  + 'Raise the server\'s context length to at least 6,144 tokens (Ollama: num_ctx or OLLAMA_CONTEXT_LENGTH), or set the instance\'s context window to what the server holds.';

for (const theme of ['dark', 'light', 'hcDark', 'hcLight']) {
  test(`a reply whose server dropped the start of the prompt says so with the fix, readable in the ${theme} theme; one read whole says nothing`, async () => {
    const cut = message('a2', 'assistant', [text('x2', 'What goal?'), {
      id: 'st', kind: 'step', model: 'llama3.2:latest', usage: usage(2_048, 3), costUsd: 0, costSource: 'local',
      truncation: { sentTokens: 4_394, readTokens: 2_048, message: cutMessage },
    }], { status: 'complete', costUsd: 0, costSource: 'local' });
    const { page } = await openChat({ theme, messages: [...conversation(), cut] });
    const notice = page.locator('article.message-assistant').last().locator('.part-notice');
    assert.equal(await notice.getAttribute('role'), 'note');
    assert.equal(await notice.innerText(), cutMessage);
    assert.equal(await notice.locator('.codicon-warning').isVisible(), true);
    assert.match(await page.locator('.part-step').last().innerText(), /2\.0k in/);
    assert.equal(await page.locator('article.message-assistant').first().locator('.part-notice').count(), 0, 'a reply read whole has no notice');
    const [{ ratio, color }] = await codeContrasts(page, ['.part-notice .notice-text']);
    assert.ok(ratio >= 4.5, `the notice has a contrast of ${ratio}:1 (${color}) in ${theme}`);
    await notice.screenshot({ path: path.join(screenshots, `chat-webview-truncation-${theme}.png`) });
    await page.close();
  });
}

for (const theme of ['dark', 'light', 'hcDark', 'hcLight']) {
  test(`code is readable in the ${theme} theme: inline code, code blocks and tool output keep the editor's text colour`, async () => {
    const { page } = await openChat({ theme });
    await page.locator('.part-tool summary').first().click();
    const ratios = await codeContrasts(page, ['.markdown p code, .markdown li code', '.markdown pre code', '.part-tool pre code']);
    await page.screenshot({ path: path.join(screenshots, `chat-webview-code-${theme}.png`) });
    for (const { selector, ratio, color } of ratios) {
      assert.ok(ratio >= 4.5, `${selector} has a contrast of ${ratio}:1 (${color}) in ${theme}`);
    }
    await page.close();
  });
}

for (const theme of ['dark', 'light', 'hcDark', 'hcLight']) {
  test(`the header's context fill shows in the ${theme} theme: a bar as full as the share, and from 80% a readable warning`, async () => {
    const { page } = await openChat({ theme, sessionOver: { contextTokens: 60_000 } });
    const fill = page.locator('.context-fill');
    const widths = () => page.evaluate(() => [document.querySelector('.context-bar').clientWidth, document.querySelector('.context-bar-fill').getBoundingClientRect().width]);
    let [bar, filled] = await widths();
    assert.ok(bar > 0 && Math.abs(filled / bar - 0.3) < 0.05, `the bar is ${filled}/${bar} full at 30%`);
    assert.equal(await fill.locator('.codicon-warning').isVisible(), false);

    await host(page, { type: 'session', session: session({ contextTokens: 172_000 }), instanceName: 'Anthropic (work)' });
    await page.locator('.context-fill.context-warning', { hasText: '86% of context' }).waitFor();
    [bar, filled] = await widths();
    assert.ok(Math.abs(filled / bar - 0.86) < 0.05, `the bar is ${filled}/${bar} full at 86%`);
    assert.equal(await fill.locator('.codicon-warning').isVisible(), true);
    const [{ ratio, color }] = await codeContrasts(page, ['.context-fill .context-text']);
    assert.ok(ratio >= 4.5, `the warning's text has a contrast of ${ratio}:1 (${color}) in ${theme}`);
    await page.locator('.chat-header').screenshot({ path: path.join(screenshots, `chat-webview-context-${theme}.png`) });

    // A window the catalog does not know: no bar, rather than a made-up share.
    await host(page, { type: 'session', session: session({ contextWindow: undefined }), instanceName: 'Anthropic (work)' });
    await fill.waitFor({ state: 'hidden' });
    await page.close();
  });
}

const highlighted = [
  'Here it is:',
  '',
  '```ts',
  '// Adds two numbers',
  'export function add(a: number, b = 2): string {',
  '  return `${a + b}` + "!";',
  '}',
  '```',
  '',
  '```brainfuck-ish',
  '+++ not a language the highlighter has',
  '```',
].join('\n');

for (const theme of ['dark', 'light', 'hcDark', 'hcLight']) {
  test(`code blocks are highlighted in the ${theme} theme's token colours, readable, loaded only when code shows`, async () => {
    const { page, requests } = await openChat({ theme, messages: [message('u1', 'user', [text('p1', 'Plain words, no code.')])] });
    assert.equal(requests.some(url => url.endsWith('/webview/highlight.js')), false, 'the highlighter loaded for a chat without code');
    await host(page, { type: 'message', message: message('a1', 'assistant', [text('x1', highlighted)]) });
    const block = page.locator('.code-block code.language-ts.hljs');
    await block.locator('.hljs-keyword').first().waitFor();
    // Highlighting changes colours only: the text, its indentation and what Copy takes stay the same.
    assert.equal(await block.innerText(), '// Adds two numbers\nexport function add(a: number, b = 2): string {\n  return `${a + b}` + "!";\n}');
    assert.equal(await page.locator('.code-block code.language-brainfuck-ish .hljs-keyword').count(), 0);
    const colours = await page.evaluate(selectors => selectors.map(s => getComputedStyle(document.querySelector(s)).color),
      ['.hljs-keyword', '.hljs-string', '.hljs-number', '.hljs-comment']);
    assert.equal(new Set(colours).size, 4, `keywords, strings, numbers and comments share colours in ${theme}: ${colours}`);
    const ratios = await codeContrasts(page, ['.hljs-keyword', '.hljs-string', '.hljs-number', '.hljs-comment', '.hljs-title', '.hljs-built_in']);
    for (const { selector, ratio, color } of ratios) {
      assert.ok(ratio >= 4.5, `${selector} has a contrast of ${ratio}:1 (${color}) in ${theme}`);
    }
    await block.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(screenshots, `chat-webview-highlight-${theme}.png`) });
    assert.equal(requests.filter(url => url.endsWith('/webview/highlight.js')).length, 1, 'the highlighter was fetched more than once');
    await page.close();
  });
}

test('an interrupted reply with a reason reads as one sentence: no full stop before the colon', async () => {
  const { page } = await openChat({ messages: [message('a9', 'assistant', [text('x9', 'Half an ans')], { status: 'interrupted', error: 'the sidecar stopped' })] });
  assert.equal(await page.locator('.message-status').innerText(), 'Interrupted: the reply did not finish: the sidecar stopped');
  await page.close();
});

test('denied, failed and interrupted tool calls look like what they are, never completed; an MCP tool reads by its name and its server\'s', async () => {
  const use = (id, name, state) => ({ id, kind: 'tool_use', toolCallId: `c-${id}`, name, input: { command: 'rm -rf build' }, state });
  const { page } = await openChat({ messages: [
    message('a1', 'assistant', [use('d1', 'Bash', 'denied'), { id: 'd2', kind: 'tool_result', toolCallId: 'c-d1', output: 'The user denied this tool use.', isError: true }, use('e1', 'Read', 'error'), use('k1', 'Glob', 'completed'), use('m1', 'mcp__loopback-remote__confirm', 'completed')]),
    message('a2', 'assistant', [use('r1', 'Write', 'running')], { status: 'interrupted' }),
  ] });
  const states = await page.locator('.part-tool summary').evaluateAll(list => list.map(s => s.getAttribute('aria-label')));
  assert.deepEqual(states, ['Tool Bash: denied', 'Tool Result: failed', 'Tool Read: failed', 'Tool Glob: completed', 'Tool confirm (MCP server loopback-remote): completed', 'Tool Write: interrupted']);
  assert.equal(await page.locator('.tool-denied .codicon-circle-slash').count(), 1);
  assert.equal(await page.locator('.codicon-loading').count(), 0, 'an interrupted call still spins');
  await page.screenshot({ path: path.join(screenshots, 'chat-webview-tool-states.png') });
  await page.close();
});

test('between send and the first token a waiting line shows; Escape stops the reply; Copy says it copied', async () => {
  const { page } = await openChat();
  const input = page.getByRole('textbox', { name: 'Message' });
  await input.fill('Explain it again');
  await page.keyboard.press('Enter');
  await host(page, { type: 'busy', busy: true });
  await page.getByRole('status').filter({ hasText: 'Waiting for the model…' }).waitFor();
  await page.screenshot({ path: path.join(screenshots, 'chat-webview-waiting.png') });
  await page.keyboard.press('Escape');
  assert.deepEqual(await lastPosted(page), { type: 'cancel' });
  await host(page, { type: 'partDelta', messageId: 'm3', partId: 't3', kind: 'text', delta: 'Sure' });
  await page.locator('.waiting-reply').waitFor({ state: 'detached' });
  await host(page, { type: 'busy', busy: false });
  const count = (await posted(page)).length;
  await page.keyboard.press('Escape');
  assert.equal((await posted(page)).length, count, 'Escape with no reply running posted something');

  await page.getByRole('button', { name: 'Copy code' }).click();
  await page.getByRole('button', { name: 'Copied to the clipboard' }).waitFor();
  await page.getByRole('button', { name: 'Copy code' }).waitFor();
  await page.close();
});

test('a page whose stylesheet failed to load asks the host to render it again instead of saying ready', async () => {
  const page = await suite.browser.newPage();
  await page.addInitScript(vscodeApiShim);
  await page.goto(suite.harness.pageUrl('dark', 'chat', true));
  await page.waitForFunction(() => window.__posted.length > 0);
  assert.deepEqual(await posted(page), [{ type: 'assetsFailed' }]);
  await page.close();
});

test('a model without a price: the header says cost unknown for the session/get the sidecar really sends', async () => {
  // Made by tests/node/captures.test.js from the real sidecar: a model with no price has costUsd null, in the session and its messages.
  const capture = JSON.parse(fs.readFileSync(path.join(repoRoot, 'tests/fixtures/captures/unknown-cost-chat.json'), 'utf8'));
  const page = await suite.browser.newPage({ viewport: { width: 900, height: 700 } });
  await page.addInitScript(vscodeApiShim);
  await page.goto(suite.harness.pageUrl());
  await page.waitForFunction(() => window.__posted.some(m => m.type === 'ready'));
  await host(page, { type: 'init', session: capture.session, messages: capture.messages, hasMore: capture.hasMore, instanceName: 'Loopback' });
  await page.locator('.chat-title', { hasText: capture.session.title }).waitFor();
  assert.equal(await page.locator('.chat-cost').innerText(), 'cost unknown');
  assert.equal(await page.locator('.chat-cost.cost-unknown').count(), 1, 'an unknown cost is not marked as such');
  assert.match(await page.locator('.part-step').innerText(), /cost unknown/);
  assert.equal(await page.getByText('$0.00').count(), 0);
  await page.close();
});

test('script, onerror and javascript: payloads in model text are neutralised', async () => {
  const payload = [
    'Hello <script>window.__xss++</script>',
    '<img src=x onerror="window.__xss++">',
    '<iframe src="javascript:window.__xss++"></iframe>',
    '[click me](javascript:window.__xss++)',
    '![remote](https://example.com/track.png)',
    '<a href="#" onclick="window.__xss++">raw link</a>',
  ].join('\n\n');
  const { page, errors, requests } = await openChat({ messages: [message('a9', 'assistant', [text('x9', payload)])] });
  const body = page.locator('article.message-assistant .part-text');
  assert.equal(await body.locator('script, img, iframe, [onerror], [onclick]').count(), 0);
  assert.match(await body.innerText(), /<script>window\.__xss\+\+<\/script>/, 'raw HTML is shown as text');
  assert.equal(await body.locator('a[href^="javascript:"]').count(), 0);
  await body.getByText('click me').click();
  await body.getByText('remote').click(); // an image is a link the host decides about; nothing is loaded
  await page.waitForTimeout(200);
  assert.equal(await page.evaluate(() => window.__xss), 0, 'a payload executed');
  assert.deepEqual(requests.filter(url => !url.startsWith(suite.harness.origin)), []);
  assert.deepEqual(await lastPosted(page), { type: 'openLink', href: 'https://example.com/track.png' });
  assert.deepEqual(errors, []);
  await page.close();
});

test('links and code block buttons go through the host', async () => {
  const { page } = await openChat();
  const url = page.url();
  await page.getByRole('link', { name: 'the docs' }).click();
  assert.deepEqual(await lastPosted(page), { type: 'openLink', href: 'https://example.com/docs' });
  assert.equal(page.url(), url, 'the webview navigated');
  await page.getByRole('button', { name: 'Copy code' }).click();
  assert.deepEqual(await lastPosted(page), { type: 'copy', text: 'const x = parse("1 + 2");' });
  await page.getByRole('button', { name: 'Insert code at cursor' }).click();
  assert.deepEqual(await lastPosted(page), { type: 'insert', text: 'const x = parse("1 + 2");' });
  await page.locator('.composer').getByRole('button', { name: /^Model: .* Change the model$/ }).click();
  assert.deepEqual(await lastPosted(page), { type: 'pickModel' });
  await page.close();
});

test('Apply sends the code with the file its info string names, or with none for the active editor', async () => {
  const reply = ['```ts src/app.ts', 'export const a = 1;', '```', '', '```py title="tools/run.py"', 'print(1)', '```', '', '```ts', 'let b;', '```'].join('\n');
  const { page } = await openChat({ messages: [message('a1', 'assistant', [text('x1', reply)])] });
  await page.getByRole('button', { name: /^Apply to src\/app\.ts:/ }).click();
  assert.deepEqual(await lastPosted(page), { type: 'apply', text: 'export const a = 1;', path: 'src/app.ts' });
  await page.getByRole('button', { name: /^Apply to tools\/run\.py:/ }).click();
  assert.deepEqual(await lastPosted(page), { type: 'apply', text: 'print(1)', path: 'tools/run.py' });
  await page.getByRole('button', { name: /^Apply to the active editor/ }).click();
  assert.deepEqual(await lastPosted(page), { type: 'apply', text: 'let b;' });
  assert.deepEqual(await page.locator('.code-lang').allInnerTexts(), ['ts · src/app.ts', 'py · tools/run.py', 'ts']);
  assert.equal(await page.locator('pre[title]').count(), 0, 'the file name stayed as a tooltip on the code');
  await page.close();
});

test('@ in the composer lists what can be mentioned; the choice leaves the text and comes back as a chip', async () => {
  const { page } = await openChat();
  const input = page.getByRole('textbox', { name: 'Message' });
  await input.click();
  await page.keyboard.type('Explain @pars');
  await page.waitForFunction(() => window.__posted.some(m => m.type === 'mentionSearch' && m.query === 'pars'));
  // An e-mail address is not a mention: only an @ at a word's start opens the menu.
  const items = [
    { kind: 'file', label: 'parser.ts', description: 'src', path: 'src/parser.ts' },
    { kind: 'folder', label: 'src/parsing/', path: 'src/parsing' },
  ];
  await host(page, { type: 'mentionResults', query: 'par', items: [{ kind: 'problems', label: 'stale' }] });
  await host(page, { type: 'mentionResults', query: 'pars', items });
  const menu = page.getByRole('listbox', { name: /^Mention/ });
  await menu.getByRole('option', { name: /parser\.ts/ }).waitFor();
  assert.equal(await menu.getByRole('option').count(), 2, 'an answer for an older query was shown');
  assert.equal(await input.getAttribute('aria-activedescendant'), 'mention-0');
  await page.keyboard.press('ArrowDown');
  assert.equal(await menu.getByRole('option', { selected: true }).innerText().then(t => t.includes('src/parsing/')), true);
  await page.keyboard.press('Enter');
  assert.deepEqual(await lastPosted(page), { type: 'mention', item: items[1] });
  assert.equal(await input.inputValue(), 'Explain ', 'the @text stayed in the message');
  assert.equal(await menu.isHidden(), true);
  await host(page, { type: 'addAttachment', attachment: { kind: 'file', path: 'src/parsing/', content: 'Files in src/parsing/:\nsrc/parsing/lexer.ts', language: 'text' } });
  await page.locator('.chip', { hasText: 'parsing/' }).waitFor();
  assert.equal(await page.locator('.chip .codicon-folder').count(), 1);

  // Escape closes the menu and nothing else: a reply being written goes on.
  await host(page, { type: 'busy', busy: true });
  await page.keyboard.type('and @');
  await page.waitForFunction(() => window.__posted.some(m => m.type === 'mentionSearch' && m.query === ''));
  await host(page, { type: 'mentionResults', query: '', items });
  await menu.waitFor();
  const before = (await posted(page)).length;
  await page.keyboard.press('Escape');
  assert.equal(await menu.isHidden(), true);
  assert.equal((await posted(page)).slice(before).some(m => m.type === 'cancel'), false, 'Escape in the menu stopped the reply');
  await page.keyboard.type(' me@example.com');
  assert.equal(await menu.isHidden(), true, 'an e-mail address opened the menu');
  await page.close();
});

test('@url and @codebase: the chips name the address and the words, and the transcript shows what was attached and why', async () => {
  const codebaseNote = '2 chunks for "frobnicateGears": src/gears.ts:17-25, src/use.ts:1-6';
  const { page } = await openChat({ messages: [
    message('u1', 'user', [
      text('p1', 'Explain these'),
      { id: 'p2', kind: 'file', path: 'http://127.0.0.1:8080/guide.html', content: 'Widget guide', language: 'text', note: '12.5 KiB of text' },
      { id: 'p3', kind: 'file', path: '@codebase frobnicateGears', content: 'src/gears.ts lines 17-25', language: 'text', note: codebaseNote },
    ]),
  ] });
  const files = page.locator('.part-file summary');
  await files.first().waitFor();
  assert.equal(await files.count(), 2);
  assert.match(await files.nth(0).innerText(), /http:\/\/127\.0\.0\.1:8080\/guide\.html\s*12\.5 KiB of text/);
  assert.match(await files.nth(1).innerText(), /@codebase frobnicateGears\s*2 chunks for "frobnicateGears": src\/gears\.ts:17-25, src\/use\.ts:1-6/);
  assert.equal(await files.nth(0).locator('.codicon-globe').count(), 1);
  assert.equal(await files.nth(1).locator('.codicon-search').count(), 1);

  await page.getByRole('textbox', { name: 'Message' }).click();
  await host(page, { type: 'addAttachment', attachment: { kind: 'url', path: 'https://example.com/docs/page' } });
  await host(page, { type: 'addAttachment', attachment: { kind: 'codebase', path: 'retry backoff' } });
  await page.locator('.chip', { hasText: '@url https://example.com/docs/page' }).waitFor();
  await page.locator('.chip', { hasText: '@codebase retry backoff' }).waitFor();
  assert.equal(await page.locator('.chip .codicon-globe').count(), 1);
  assert.equal(await page.locator('.chip .codicon-search').count(), 1);
  await page.screenshot({ path: path.join(screenshots, 'chat-webview-context-mentions.png') });
  await page.keyboard.type('and these');
  await page.keyboard.press('Enter');
  const sent = await lastPosted(page);
  assert.deepEqual(sent.attachments, [{ kind: 'url', path: 'https://example.com/docs/page' }, { kind: 'codebase', path: 'retry backoff' }]);
  await page.close();
});

for (const theme of ['dark', 'light', 'hcDark', 'hcLight']) {
  test(`queued messages and the @url and @codebase chips are readable in the ${theme} theme`, async () => {
    const { page, errors } = await openChat({ theme });
    await host(page, { type: 'busy', busy: true });
    const queued = (id, text, attachments) => ({ id, sessionId: 's1', text, attachments, createdAt: '2026-11-21T10:06:00Z' });
    await host(page, { type: 'queued', queued: [queued('q1', 'and also check the tests'), queued('q2', 'then the docs', [{ kind: 'url', path: 'https://example.com/a' }])] });
    await page.getByRole('group', { name: 'Queued message 2 of 2' }).waitFor();
    await page.getByRole('textbox', { name: 'Message' }).click();
    await host(page, { type: 'addAttachment', attachment: { kind: 'url', path: 'https://example.com/docs/page' } });
    await host(page, { type: 'addAttachment', attachment: { kind: 'codebase', path: 'retry backoff' } });
    await page.locator('.chip', { hasText: '@codebase retry backoff' }).waitFor();
    const selectors = ['.queued-label', '.queued-text', '.queued-attached', '.queued-steer', '.chip'];
    for (const { selector, ratio, color } of await codeContrasts(page, selectors)) {
      assert.ok(ratio >= 4.5, `${selector} has a contrast of ${ratio}:1 (${color}) in ${theme}`);
    }
    const [queue, composer] = [await page.locator('section.queued').boundingBox(), await page.locator('.composer').boundingBox()];
    await page.screenshot({ path: path.join(screenshots, `chat-webview-queued-chips-${theme}.png`), clip: { x: 0, y: queue.y, width: composer.width, height: composer.y + composer.height - queue.y } });
    assert.deepEqual(errors, []);
    await page.close();
  });
}

for (const theme of ['dark', 'light', 'hcDark', 'hcLight']) {
  test(`an MCP server's prompts in the / menu are readable in the ${theme} theme, named by their titles and servers`, async () => {
    const { page } = await openChat({ theme });
    await page.getByRole('textbox', { name: 'Message' }).click();
    await page.keyboard.type('/rev');
    await page.waitForFunction(() => window.__posted.some(m => m.type === 'promptSearch' && m.query === 'rev'));
    await host(page, { type: 'promptResults', query: 'rev', items: [
      { kind: 'mcpPrompt', label: 'Review a file', description: 'Loopback · Asks for a review of one file.', server: 'loopback', prompt: 'review' }] });
    const option = page.getByRole('listbox', { name: 'Use a command or a prompt of an MCP server' }).getByRole('option', { name: /Review a file/ });
    await option.waitFor();
    assert.match(await option.innerText(), /Review a file[\s\S]*Loopback/);
    const [{ ratio, color }] = await codeContrasts(page, ['#prompt-menu [role=option]']);
    assert.ok(ratio >= 4.5, `the prompt menu has a contrast of ${ratio}:1 (${color}) in ${theme}`);
    await page.screenshot({ path: path.join(screenshots, `chat-webview-prompt-menu-${theme}.png`) });
    await page.close();
  });
}

test('/ at the start of the message lists the MCP servers\' prompts; the choice\'s text replaces what was typed, the chips stay', async () => {
  const { page } = await openChat();
  const input = page.getByRole('textbox', { name: 'Message' });
  await input.click();
  await page.keyboard.type('/rev');
  await page.waitForFunction(() => window.__posted.some(m => m.type === 'promptSearch' && m.query === 'rev'));
  const items = [
    { kind: 'mcpPrompt', label: 'Review a file', description: 'Loopback · Asks for a review of one file.', server: 'loopback', prompt: 'review' },
    { kind: 'mcpPrompt', label: 'Release notes', description: 'GitHub', server: 'github', prompt: 'release_notes' },
  ];
  await host(page, { type: 'promptResults', query: 'rev', items });
  const menu = page.getByRole('listbox', { name: 'Use a command or a prompt of an MCP server' });
  await menu.getByRole('option', { name: /Review a file/ }).waitFor();
  assert.equal(await input.getAttribute('aria-activedescendant'), 'prompt-0');
  assert.equal(await page.locator('#prompt-menu .codicon-comment-discussion').count(), 2);
  await page.keyboard.press('Enter');
  assert.deepEqual(await lastPosted(page), { type: 'usePrompt', item: items[0] });
  assert.equal(await input.inputValue(), '', 'the /text stayed in the message');
  await host(page, { type: 'addAttachment', attachment: { kind: 'file', path: 'Loopback: Welcome note', content: '# Welcome', language: 'markdown' } });
  await host(page, { type: 'promptText', text: 'Review src/a.ts.\n\nAssistant: I will read it.' });
  assert.equal(await input.inputValue(), 'Review src/a.ts.\n\nAssistant: I will read it.');
  await page.locator('.chip', { hasText: 'Loopback: Welcome note' }).waitFor();

  // A command (a file's, or /compact and /system) is listed with its description; chosen, the host fills /name.
  await input.fill('');
  await page.keyboard.type('/rev');
  await page.waitForFunction(() => window.__posted.filter(m => m.type === 'promptSearch' && m.query === 'rev').length === 2);
  const command = { kind: 'command', label: '/review', command: 'review', description: 'Review the named file' };
  await host(page, { type: 'promptResults', query: 'rev', items: [command, items[0]] });
  await menu.getByRole('option', { name: /\/review/ }).waitFor();
  assert.equal(await page.locator('#prompt-menu .codicon-zap').count(), 1);
  assert.match(await menu.getByRole('option', { name: /\/review/ }).innerText(), /Review the named file/);
  await page.keyboard.press('Enter');
  assert.deepEqual(await lastPosted(page), { type: 'usePrompt', item: command });

  // /compact with nothing offered: the menu stays shut and Enter sends the command.
  await input.fill('');
  await page.keyboard.type('/compact');
  await page.waitForFunction(() => window.__posted.some(m => m.type === 'promptSearch' && m.query === 'compact'));
  await host(page, { type: 'promptResults', query: 'compact', items: [] });
  assert.equal(await menu.isHidden(), true);
  await page.close();
});

test('the composer shows the chat\'s model as a dropdown that opens the picker, and follows a change of model', async () => {
  const { page } = await openChat();
  const dropdown = page.locator('.composer').getByRole('button', { name: 'Model: Anthropic (work) · claude-sonnet-4-5. Change the model' });
  assert.equal(await dropdown.innerText(), 'Anthropic (work) · claude-sonnet-4-5');
  await dropdown.click();
  assert.deepEqual(await lastPosted(page), { type: 'pickModel' });
  await host(page, { type: 'session', session: session({ instanceId: 'groq', modelId: 'moonshotai/kimi-k2' }), instanceName: 'Loopback Groq' });
  await page.locator('.composer-model', { hasText: 'Loopback Groq · moonshotai/kimi-k2' }).waitFor();
  await page.close();
});

test('the title renames the chat: a click or Enter on it asks the host', async () => {
  const { page } = await openChat();
  await page.locator('.chat-title').click();
  assert.deepEqual(await lastPosted(page), { type: 'rename' });
  await page.locator('.chat-title').focus();
  await page.keyboard.press('Enter');
  assert.deepEqual((await posted(page)).filter(m => m.type === 'rename').length, 2);
  await page.close();
});

test('a new chat says what to do: example prompts fill the composer (one opens @), a link starts Run Task; none offers Add Provider, the chat having one', async () => {
  const { page } = await openChat({ messages: [], sessionOver: { title: 'New chat' } });
  const empty = page.getByRole('region', { name: 'Getting started' });
  await empty.getByRole('heading', { name: 'Ask anything about your code' }).waitFor();
  await page.screenshot({ path: path.join(screenshots, 'chat-webview-empty.png') });
  await empty.getByRole('button', { name: 'Use the example: Find bugs in @' }).click();
  const input = page.getByRole('textbox', { name: 'Message' });
  assert.equal(await input.inputValue(), 'Find bugs in @');
  await page.waitForFunction(() => window.__posted.some(m => m.type === 'mentionSearch' && m.query === ''));
  assert.equal(await empty.getByRole('button', { name: /provider/i }).count(), 0, 'the empty state of a chat, which has a provider, offers Add Provider');
  await empty.getByRole('button', { name: 'Run an agent task on the workspace' }).click();
  assert.deepEqual(await lastPosted(page), { type: 'runCommand', command: 'plue.runTask' });
  await input.fill('Hello');
  await page.keyboard.press('Enter');
  await empty.waitFor({ state: 'hidden' });
  await page.close();
});

test('Focus Chat puts the keyboard in the composer', async () => {
  const { page } = await openChat();
  await page.getByRole('button', { name: 'Regenerate the reply' }).focus();
  await host(page, { type: 'focusComposer' });
  await page.waitForFunction(() => document.activeElement?.getAttribute('aria-label') === 'Message');
  await page.close();
});

test('deltas stream into the right part, then the full message replaces them', async () => {
  const { page } = await openChat();
  await host(page, { type: 'busy', busy: true });
  const deltas = [
    ['m2', 'r', 'reasoning', 'Think '], ['m2', 't', 'text', 'Hello'], ['m2', 'r', 'reasoning', 'harder.'],
    ['m2', 't', 'text', ', **world**'], ['m2', 't2', 'text', 'Second part'], ['m2', 't', 'text', '!'],
  ];
  for (const [messageId, partId, kind, delta] of deltas) {
    await host(page, { type: 'partDelta', messageId, partId, kind, delta });
  }
  const streaming = page.locator('article[data-message-id="m2"]');
  await streaming.locator('.part-text strong', { hasText: 'world' }).waitFor();
  await page.waitForFunction(() => document.querySelectorAll('article[data-message-id="m2"] .part-text')[0]?.textContent.trim() === 'Hello, world!');
  const parts = streaming.locator('.message-parts > *');
  assert.equal(await parts.count(), 3);
  assert.equal((await parts.nth(0).locator('.reasoning-body').textContent()).trim(), 'Think harder.');
  assert.equal(await parts.nth(0).locator('summary').innerText(), 'Thinking…');
  assert.equal(await parts.nth(1).innerText(), 'Hello, world!');
  assert.equal(await parts.nth(2).innerText(), 'Second part');
  assert.equal(await page.locator('article[data-message-id="a1"] .part-text').count(), 1, 'the earlier reply was touched');
  await page.screenshot({ path: path.join(screenshots, 'chat-webview-streaming.png') });

  await host(page, { type: 'message', message: message('m2', 'assistant', [text('t', 'Hello, world! (final)')], { status: 'cancelled' }) });
  await streaming.locator('.message-status', { hasText: 'Stopped.' }).waitFor();
  assert.equal(await page.locator('article[data-message-id="m2"] .message-parts').innerText(), 'Hello, world! (final)');
  await page.close();
});

test('the transcript follows a streaming answer, a long one that arrives whole too; scrolled up, it stays put and offers Jump to latest', async () => {
  const many = Array.from({ length: 30 }, (_, i) => message(`h${i}`, i % 2 ? 'assistant' : 'user', [text(`ht${i}`, `Earlier ${i}. ${'Words. '.repeat(20)}`)], { seq: i }));
  const { page } = await openChat({ messages: many });
  const list = page.getByRole('log', { name: 'Messages' });
  const jump = page.getByRole('button', { name: 'Jump to latest' });
  const atEnd = () => list.evaluate(l => l.scrollHeight - l.scrollTop - l.clientHeight < 2);
  assert.ok(await atEnd(), 'the chat did not open at its end');

  // A long message that arrives whole (a tool's result, a reply not streamed) is followed: it alone is taller than 80 px.
  await host(page, { type: 'busy', busy: true });
  await host(page, { type: 'message', message: message('long', 'assistant', [text('lt', `Line\n\n${'A long paragraph of the answer. '.repeat(60)}`)], { status: 'streaming' }) });
  assert.ok(await atEnd(), 'a long message arriving whole left the view above it');
  for (let i = 0; i < 20; i++) await host(page, { type: 'partDelta', messageId: 'm9', partId: 't', kind: 'text', delta: `Streamed sentence ${i}. `.repeat(8) + '\n\n' });
  await page.waitForFunction(() => document.querySelector('article[data-message-id="m9"]')?.textContent.includes('Streamed sentence 19'));
  await page.waitForFunction(() => { const l = document.querySelector('.messages'); return l.scrollHeight - l.scrollTop - l.clientHeight < 2; });
  assert.equal(await jump.isVisible(), false);

  // The user scrolls up: what streams next stays below, with a way down.
  await list.evaluate(l => { l.scrollTop = 100; });
  await page.waitForTimeout(50);
  for (let i = 0; i < 5; i++) await host(page, { type: 'partDelta', messageId: 'm9', partId: 't', kind: 'text', delta: `More ${i}. `.repeat(20) + '\n\n' });
  await page.waitForFunction(() => document.querySelector('article[data-message-id="m9"]')?.textContent.includes('More 4'));
  await jump.waitFor();
  assert.equal(await list.evaluate(l => l.scrollTop), 100, 'the view moved while the user read above');
  await page.screenshot({ path: path.join(screenshots, 'chat-webview-jump-to-latest.png') });
  await jump.click();
  assert.ok(await atEnd(), 'Jump to latest did not go to the end');
  await jump.waitFor({ state: 'hidden' });
  // Following again: the next words are followed.
  await host(page, { type: 'partDelta', messageId: 'm9', partId: 't', kind: 'text', delta: 'Last words. '.repeat(40) });
  await page.waitForFunction(() => { const l = document.querySelector('.messages'); return l.textContent.includes('Last words.') && l.scrollHeight - l.scrollTop - l.clientHeight < 2; });
  await page.close();
});

test('the final message is applied in place: open sections stay open and no other message is rebuilt', async () => {
  const { page, errors } = await openChat();
  await host(page, { type: 'busy', busy: true });
  // A reply streams in: reasoning, then a tool call the sidecar reports with the whole message.
  await host(page, { type: 'partDelta', messageId: 'm2', partId: 'r2', kind: 'reasoning', delta: 'Look at the lexer first.' });
  await host(page, { type: 'partDelta', messageId: 'm2', partId: 'x2', kind: 'text', delta: 'Reading it' });
  const toolCall = { id: 'tc2', kind: 'tool_use', toolCallId: 'c2', name: 'read_file', input: { path: 'src/lexer.ts' }, state: 'completed', output: 'export {}' };
  const streamingCopy = message('m2', 'assistant', [{ id: 'r2', kind: 'reasoning', text: 'Look at the lexer first.' }, toolCall, text('x2', 'Reading it')], { status: 'streaming', seq: 3 });
  await host(page, { type: 'message', message: streamingCopy });
  const reply = page.locator('article[data-message-id="m2"]');
  await reply.locator('.part-tool').waitFor();
  // The user opens the earlier reply's tool, and this reply's reasoning and tool; every node gets a mark.
  await page.locator('article[data-message-id="a1"] details.part-tool summary').click();
  await reply.locator('details.part-reasoning summary').click();
  await reply.locator('details.part-tool summary').click();
  await page.evaluate(() => {
    window.__marked = [...document.querySelectorAll('article[data-message-id="u1"], article[data-message-id="a1"], article[data-message-id="a1"] *, article[data-message-id="m2"] details')];
    for (const node of window.__marked) node.__mark = true;
  });

  // The final message, as session/messageUpdated sends it, then again as session/send's result.
  const final = message('m2', 'assistant', [
    { id: 'r2', kind: 'reasoning', text: 'Look at the lexer first.' }, toolCall, text('x2', 'Reading it. The lexer is **fine**.'),
    { id: 'st2', kind: 'step', model: 'claude-sonnet-4-5', usage: usage(900, 120), costUsd: 0.004, latencyMs: 2100 },
  ], { seq: 3, modelId: 'claude-sonnet-4-5' });
  await host(page, { type: 'message', message: final });
  await reply.locator('.part-text strong', { hasText: 'fine' }).waitFor();
  await host(page, { type: 'message', message: final });
  await host(page, { type: 'busy', busy: false });
  await reply.getByRole('button', { name: 'Regenerate the reply' }).waitFor();

  assert.equal(await reply.locator('details.part-reasoning').evaluate(d => d.open), true, 'the reasoning the user opened closed');
  assert.equal(await reply.locator('details.part-reasoning summary').innerText(), 'Reasoning', 'the finished reasoning still says Thinking');
  assert.equal(await reply.locator('details.part-tool').evaluate(d => d.open), true, 'the tool the user opened closed');
  assert.equal(await page.locator('article[data-message-id="a1"] details.part-tool').evaluate(d => d.open), true);
  const kept = await page.evaluate(() => window.__marked.filter(node => node.isConnected && node.__mark).length);
  assert.equal(kept, await page.evaluate(() => window.__marked.length), 'nodes of the page were replaced');
  assert.equal(await page.locator('article.message').count(), 3);
  assert.match(await reply.locator('.part-step').innerText(), /\$0\.0040/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('Regenerate and Edit drop the superseded messages when the new turn starts, not before', async () => {
  const { page } = await openChat();
  await page.getByRole('button', { name: 'Regenerate the reply' }).click();
  assert.deepEqual(await lastPosted(page), { type: 'regenerate' });
  await host(page, { type: 'busy', busy: true });
  assert.equal(await page.locator('article[data-message-id="a1"]').count(), 1, 'the old answer went before the new one came');
  await host(page, { type: 'partDelta', messageId: 'a2', partId: 'y1', kind: 'text', delta: 'Another answer' });
  await page.locator('article[data-message-id="a2"]').waitFor();
  assert.deepEqual(await page.locator('article.message').evaluateAll(list => list.map(a => a.dataset.messageId)), ['u1', 'a2']);
  await host(page, { type: 'message', message: message('a2', 'assistant', [text('y1', 'Another answer')]) });
  await host(page, { type: 'busy', busy: false });

  const user = page.locator('article[data-message-id="u1"]');
  await user.getByRole('button', { name: 'Edit and resend' }).click();
  await user.getByRole('textbox', { name: 'Edit your message' }).fill('How should I parse boolean logic?');
  await page.keyboard.press('Enter');
  assert.deepEqual(await lastPosted(page), { type: 'editAndResend', messageId: 'u1', text: 'How should I parse boolean logic?' });
  await host(page, { type: 'message', message: message('u3', 'user', [text('q3', 'How should I parse boolean logic?')]) });
  await page.locator('article[data-message-id="u3"]').waitFor();
  assert.deepEqual(await page.locator('article.message').evaluateAll(list => list.map(a => a.dataset.messageId)), ['u3']);
  await page.close();
});

test('Enter sends, Shift+Enter adds a line, and chips go with the message', async () => {
  const { page } = await openChat();
  await host(page, { type: 'addAttachment', attachment: { kind: 'selection', path: 'src/lexer.ts', content: 'let a = 1;', language: 'typescript', range: { startLine: 3, endLine: 7 } } });
  await host(page, { type: 'addAttachment', attachment: { kind: 'file', path: 'README.md', content: '# Hi' } });
  await page.locator('.chip', { hasText: 'lexer.ts:3-7' }).waitFor();
  assert.equal(await page.locator('.chip').count(), 2);
  await page.getByRole('button', { name: 'Remove README.md' }).click();
  assert.equal(await page.locator('.chip').count(), 1);

  const input = page.getByRole('textbox', { name: 'Message' });
  await input.click();
  await page.keyboard.type('line one');
  await page.keyboard.press('Shift+Enter');
  await page.keyboard.type('line two');
  assert.equal(await input.inputValue(), 'line one\nline two');
  assert.equal((await posted(page)).filter(m => m.type === 'send').length, 0, 'Shift+Enter sent');
  await page.screenshot({ path: path.join(screenshots, 'chat-webview-composer.png') });
  await page.keyboard.press('Enter');
  assert.deepEqual(await lastPosted(page), {
    type: 'send', text: 'line one\nline two',
    attachments: [{ kind: 'selection', path: 'src/lexer.ts', content: 'let a = 1;', language: 'typescript', range: { startLine: 3, endLine: 7 } }],
  });
  assert.equal(await input.inputValue(), '');
  assert.equal(await page.locator('.chip').count(), 0);
  assert.equal(await page.locator('article.message-user').last().innerText().then(t => t.includes('line one')), true, 'the sent message is not shown');
  await page.getByRole('button', { name: 'Attach a file' }).click();
  assert.deepEqual(await lastPosted(page), { type: 'addFile' });
  await page.getByRole('button', { name: 'Attach an image' }).click();
  assert.deepEqual(await lastPosted(page), { type: 'addImage' });
  await page.close();
});

/** A 1×1 red PNG. */
const PIXEL = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==';

/** Pastes files into the message input the way a browser does: a paste event carrying them on its clipboardData. */
async function pasteFiles(page, files) {
  await page.getByRole('textbox', { name: 'Message' }).evaluate((input, list) => {
    const data = new DataTransfer();
    for (const { name, type, base64, size } of list) {
      const bytes = base64 ? Uint8Array.from(atob(base64), c => c.charCodeAt(0)) : new Uint8Array(size);
      data.items.add(new File([bytes], name, { type }));
    }
    input.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, files);
}

test('an image pasted into the message becomes a chip with its thumbnail and is sent as an image', async () => {
  const { page, errors, requests } = await openChat({ sessionOver: { supportsAttachments: true } });
  await pasteFiles(page, [{ name: 'image.png', type: 'image/png', base64: PIXEL }]);
  const chip = page.locator('.chip', { hasText: 'image.png' });
  await chip.waitFor();
  // The thumbnail is drawn from its data: URL under the panel's CSP (a blocked image has no natural size).
  await page.waitForFunction(() => document.querySelector('.chip img.chip-thumbnail')?.naturalWidth === 1);
  await page.screenshot({ path: path.join(screenshots, 'chat-webview-image-chip.png') });

  await page.getByRole('textbox', { name: 'Message' }).fill('What is in this picture?');
  await page.keyboard.press('Enter');
  assert.deepEqual(await lastPosted(page), {
    type: 'send', text: 'What is in this picture?', attachments: [{ kind: 'image', path: 'image.png', mimeType: 'image/png', data: PIXEL }],
  });
  assert.deepEqual(errors, []);
  assert.deepEqual(requests.filter(url => !url.startsWith(suite.harness.origin)), [], 'the webview fetched something remote');
  await page.close();
});

test('an image too large, of another type, or for a model without vision is refused with the reason', async () => {
  const { page } = await openChat({ sessionOver: { supportsAttachments: true } });
  const alert = page.getByRole('alert');
  await pasteFiles(page, [{ name: 'huge.png', type: 'image/png', size: 5 * 1024 * 1024 + 1 }]);
  await alert.filter({ hasText: 'huge.png is 5.0 MB; images are limited to 5 MB.' }).waitFor();
  await pasteFiles(page, [{ name: 'logo.svg', type: 'image/svg+xml', base64: btoa('<svg/>') }]);
  await alert.filter({ hasText: 'attach a PNG, JPEG, GIF or WebP image' }).waitFor();
  assert.equal(await page.locator('.chip').count(), 0);

  await host(page, { type: 'session', session: session({ modelId: 'kimi-k2', supportsAttachments: false }), instanceName: 'Groq' });
  const attachImage = page.getByRole('button', { name: 'Attach an image' });
  assert.equal(await attachImage.getAttribute('aria-disabled'), 'true');
  assert.match(await attachImage.getAttribute('title'), /kimi-k2 does not take images/);
  const before = (await posted(page)).length;
  await attachImage.focus();
  await page.keyboard.press('Enter');
  await alert.filter({ hasText: 'kimi-k2 does not take images (says the catalog). Change the model to attach one.' }).waitFor();
  await pasteFiles(page, [{ name: 'image.png', type: 'image/png', base64: PIXEL }]);
  assert.equal((await posted(page)).length, before, 'a refused image was asked for');
  assert.equal(await page.locator('.chip').count(), 0);
  await page.close();
});

test('an attached image is shown in the transcript', async () => {
  const { page } = await openChat({
    messages: [message('u1', 'user', [text('p1', 'What is this?'), { id: 'p2', kind: 'file', path: 'pixel.png', mimeType: 'image/png', content: PIXEL }])],
  });
  const figure = page.locator('article[data-message-id="u1"] figure.part-image');
  assert.equal(await figure.locator('figcaption').innerText(), 'pixel.png');
  assert.equal(await figure.locator('img').getAttribute('alt'), 'pixel.png');
  await page.waitForFunction(() => document.querySelector('figure.part-image img')?.naturalWidth === 1);
  await page.close();
});

test('a long chat shows its latest page; Load earlier messages (by keyboard) adds the older ones above without moving the view', async () => {
  const many = (from, to) => Array.from({ length: to - from }, (_, i) => {
    const seq = from + i;
    return message(`m${seq}`, seq % 2 ? 'assistant' : 'user', [text(`t${seq}`, `Message number ${seq}\n\n${'Some words. '.repeat(8)}`)], { seq });
  });
  const { page } = await openChat({ messages: many(200, 400), hasMore: true });
  const loadEarlier = page.getByRole('button', { name: 'Load earlier messages' });
  assert.equal(await page.locator('article.message').count(), 200);
  const list = page.getByRole('log', { name: 'Messages' });
  assert.ok(await list.evaluate(l => l.scrollHeight - l.scrollTop - l.clientHeight < 2), 'the latest page did not open at its end');

  // Scroll to the top, where the button is, and press it from the keyboard.
  await list.evaluate(l => { l.scrollTop = 0; });
  await loadEarlier.focus();
  await page.keyboard.press('Enter');
  assert.deepEqual(await lastPosted(page), { type: 'loadEarlier' });
  await page.keyboard.press('Enter'); // a second press while loading asks nothing more
  assert.equal((await posted(page)).filter(m => m.type === 'loadEarlier').length, 1);
  const firstShown = page.locator('article[data-message-id="m200"]');
  const topBefore = await firstShown.evaluate(e => e.getBoundingClientRect().top);

  await host(page, { type: 'earlier', messages: many(0, 200), hasMore: true });
  await page.locator('article[data-message-id="m0"]').waitFor({ state: 'attached' });
  assert.equal(await page.locator('article.message').count(), 400);
  assert.equal(await page.locator('article.message').first().getAttribute('data-message-id'), 'm0');
  const topAfter = await firstShown.evaluate(e => e.getBoundingClientRect().top);
  assert.ok(Math.abs(topAfter - topBefore) < 2, `the view moved by ${topAfter - topBefore}px`);
  assert.equal(await loadEarlier.evaluate(b => b === document.activeElement), true, 'the keyboard lost its place');
  // Regenerate stays on the latest answer, not on one of the older page.
  assert.equal(await page.locator('article[data-message-id="m399"]').getByRole('button', { name: 'Regenerate the reply' }).count(), 1);
  assert.equal(await page.getByRole('button', { name: 'Regenerate the reply' }).count(), 1);
  await page.screenshot({ path: path.join(screenshots, 'chat-webview-load-earlier.png') });

  await page.keyboard.press('Enter');
  await host(page, { type: 'earlier', messages: [], hasMore: false });
  await loadEarlier.waitFor({ state: 'hidden' });
  assert.equal(await list.evaluate(l => l === document.activeElement), true, 'focus fell off the list');
  await page.close();
});

test('a chat with no older messages shows no Load earlier button', async () => {
  const { page } = await openChat();
  assert.equal(await page.getByRole('button', { name: 'Load earlier messages' }).isHidden(), true);
  await page.close();
});

test('Stop, Regenerate, Edit and Fork post the right messages', async () => {
  const { page } = await openChat();
  await host(page, { type: 'busy', busy: true });
  const stop = page.getByRole('button', { name: 'Stop the reply' });
  await stop.waitFor();
  assert.equal(await page.getByRole('button', { name: 'Send (Enter)' }).isHidden(), true);
  assert.equal(await page.getByRole('button', { name: 'Queue (Enter): sent when the answer ends' }).isVisible(), true, 'no way to queue a message while busy');
  assert.equal(await page.getByRole('button', { name: 'Regenerate the reply' }).count(), 0, 'Regenerate offered while busy');
  await stop.click();
  assert.deepEqual(await lastPosted(page), { type: 'cancel' });

  await host(page, { type: 'busy', busy: false });
  await page.getByRole('button', { name: 'Regenerate the reply' }).click();
  assert.deepEqual(await lastPosted(page), { type: 'regenerate' });

  await page.locator('article[data-message-id="a1"]').getByRole('button', { name: 'Fork the chat from this message' }).click();
  assert.deepEqual(await lastPosted(page), { type: 'fork', messageId: 'a1' });

  const user = page.locator('article[data-message-id="u1"]');
  await user.getByRole('button', { name: 'Edit and resend' }).click();
  const editor = user.getByRole('textbox', { name: 'Edit your message' });
  assert.equal(await editor.evaluate(e => e === document.activeElement), true, 'the editor is not focused');
  await page.keyboard.press('Escape');
  assert.equal(await user.locator('textarea').count(), 0, 'Escape did not cancel');
  await user.getByRole('button', { name: 'Edit and resend' }).click();
  await editor.fill('How should I parse boolean logic?');
  await page.keyboard.press('Enter');
  assert.deepEqual(await lastPosted(page), { type: 'editAndResend', messageId: 'u1', text: 'How should I parse boolean logic?' });
  await page.close();
});

const checkpoint = (over = {}) => ({
  id: 'cp1', sessionId: 's1', messageId: 'u1', kind: 'turn', added: 1, modified: 1, deleted: 0, createdAt: '2026-11-21T10:01:00Z',
  files: [{ path: 'src/parser.ts', change: 'modified' }, { path: 'src/lexer.ts', change: 'added' }], ...over,
});

test('a turn that changed files shows its checkpoint under its message: Show Diff and Restore post to the host, not while busy', async () => {
  const { page, errors } = await openChat();
  assert.equal(await page.locator('.message-checkpoint').count(), 0, 'a checkpoint shown before the host sent any');
  // A restore's own checkpoint is offered by the host (Undo), not as a turn.
  await host(page, { type: 'checkpoints', checkpoints: [checkpoint(), checkpoint({ id: 'cp2', kind: 'restore' })] });
  const bar = page.locator('article[data-message-id="u1"] .message-checkpoint');
  await bar.waitFor();
  assert.equal(await page.locator('.message-checkpoint').count(), 1);
  assert.match(await bar.innerText(), /Checkpoint · 2 files changed: 1 added, 1 modified/);

  await bar.getByRole('button', { name: /Show what this turn changed/ }).click();
  assert.deepEqual(await lastPosted(page), { type: 'showCheckpointDiff', checkpointId: 'cp1' });
  await bar.getByRole('button', { name: 'Restore files or conversation to before this message' }).click();
  assert.deepEqual(await lastPosted(page), { type: 'restoreCheckpoint', messageId: 'u1' });

  await host(page, { type: 'busy', busy: true });
  assert.equal(await page.getByRole('button', { name: 'Restore files or conversation to before this message' }).isDisabled(), true, 'Restore offered while a reply runs');
  await host(page, { type: 'busy', busy: false });

  // A conversation restore: the host sends what is left, then the removed message for the composer.
  await host(page, { type: 'init', session: session(), messages: [], hasMore: false, instanceName: 'Anthropic (work)' });
  await host(page, { type: 'checkpoints', checkpoints: [] });
  await host(page, { type: 'draft', text: 'How should I parse arithmetic?' });
  assert.equal(await page.getByRole('textbox', { name: 'Message', exact: true }).inputValue(), 'How should I parse arithmetic?');
  assert.equal(await page.locator('.message-checkpoint').count(), 0);
  assert.deepEqual(errors, []);
  await page.close();
});

for (const theme of ['dark', 'light', 'hcDark', 'hcLight']) {
  test(`a checkpoint reads in the ${theme} theme`, async () => {
    const { page } = await openChat({ theme });
    await host(page, { type: 'checkpoints', checkpoints: [checkpoint()] });
    const bar = page.locator('.message-checkpoint');
    await bar.waitFor();
    await bar.screenshot({ path: path.join(screenshots, `chat-webview-checkpoint-${theme}.png`) });
    const { ratio, color } = await bar.locator('.checkpoint-label').evaluate(textContrast);
    assert.ok(ratio >= 4.5, `the checkpoint's label has a contrast of ${ratio}:1 (${color}) in ${theme}`);
    await page.close();
  });
}

test('reasoning is collapsed, opens and collapses again', async () => {
  const { page } = await openChat();
  const reasoning = page.locator('article[data-message-id="a1"] details.part-reasoning');
  const open = () => reasoning.evaluate(d => d.open);
  assert.equal(await open(), false);
  assert.equal(await reasoning.locator('.reasoning-body').isVisible(), false);
  await reasoning.locator('summary').click();
  assert.equal(await open(), true);
  assert.equal(await reasoning.locator('.reasoning-body strong').innerText(), 'parser');
  await page.screenshot({ path: path.join(screenshots, 'chat-webview-reasoning.png') });
  await reasoning.locator('summary').press('Enter');
  assert.equal(await open(), false, 'the keyboard did not collapse it');
  await page.close();
});

test('every button has an accessible name and the keyboard reaches the composer', async () => {
  const { page } = await openChat();
  const unnamed = await page.locator('button').evaluateAll(buttons => buttons.filter(b => !b.getAttribute('aria-label')).map(b => b.outerHTML));
  assert.deepEqual(unnamed, []);
  await page.locator('.chat-title').click();
  const reached = new Set();
  for (let i = 0; i < 30; i++) {
    await page.keyboard.press('Tab');
    reached.add(await page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.tagName));
  }
  for (const name of ['Message', 'Attach a file', 'Send (Enter)', 'Copy code', 'Fork the chat from this message']) {
    assert.ok(reached.has(name), `Tab never reached "${name}": ${[...reached].join(', ')}`);
  }
  await host(page, { type: 'error', text: 'The Plue sidecar is not running (stopped).' });
  await page.getByRole('alert').filter({ hasText: 'not running' }).waitFor();
  await page.close();
});

test('the chat header wears the chat template\'s icon in its colour, or a chat codicon without one', async () => {
  const { page, errors } = await openChat();
  const headerIcon = page.locator('.chat-header .template-icon');
  assert.match(await headerIcon.getAttribute('class'), /codicon-comment-discussion/);
  await host(page, { type: 'session', session: session(), instanceName: 'Anthropic (work)', looks: { icon: 'hubot', color: '#8B5CF6' } });
  await page.locator('.chat-header .template-icon.codicon-hubot').waitFor();
  assert.equal(await headerIcon.evaluate(e => getComputedStyle(e).color), 'rgb(139, 92, 246)');
  await page.screenshot({ path: path.join(screenshots, 'chat-header-looks-dark.png'), clip: { x: 0, y: 0, width: 900, height: 120 } });
  assert.equal(await page.locator('.chat-header .template-icon').count(), 1);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a reply a fallback gave names its model and says which one it stood in for, with why on hover', async () => {
  const failed = [{ instanceId: 'i1', instanceName: 'Anthropic (work)', modelId: 'claude-sonnet-4-5', error: 'Anthropic is overloaded (529)' }];
  const { page, errors } = await openChat({ messages: [
    message('u1', 'user', [text('p1', 'Hello')]),
    message('a1', 'assistant', [text('x1', 'Hi there')], { modelId: 'gpt-5-mini', fallbackFrom: failed }),
  ] });
  const head = page.locator('article[data-message-id="a1"] .message-head');
  assert.equal(await head.locator('.message-role').innerText(), 'gpt-5-mini');
  assert.equal(await head.locator('.message-fallback').innerText(), 'instead of Anthropic (work) · claude-sonnet-4-5');
  assert.equal(await head.locator('.message-fallback').getAttribute('title'), 'Anthropic (work) · claude-sonnet-4-5 failed: Anthropic is overloaded (529)');
  assert.equal(await page.locator('article[data-message-id="u1"] .message-fallback').count(), 0);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a message typed as a command from a file shows /name and its arguments, opening to its file and what it did to the turn, above the body sent', async () => {
  const typed = [
    message('u1', 'user', [{ id: 'p1', kind: 'text', text: 'Review src/a.ts carefully', command: { name: 'review', arguments: 'src/a.ts', source: '/w/.claude/commands/review.md', notes: ['model loop-2', 'mode Plan is not a chat mode here; this turn keeps the chat\'s'] } }]),
    ...conversation().slice(1),
  ];
  const { page, errors } = await openChat({ messages: typed });
  const command = page.locator('.part-command');
  assert.equal(await command.locator('summary').innerText(), '/review src/a.ts');
  assert.match(await command.locator('.part-text').innerText(), /Review src\/a\.ts carefully/);
  await command.locator('summary').click();
  assert.deepEqual(await command.locator('.instructions-files li').allInnerTexts(), ['/w/.claude/commands/review.md', 'model loop-2', 'mode Plan is not a chat mode here; this turn keeps the chat\'s']);
  assert.deepEqual(errors, []);
  await page.close();
});

test('the composer shows the chat\'s mode as a dropdown that asks the host, and a turn\'s instructions files as a collapsed part', async () => {
  const withInstructions = [
    message('u1', 'user', [text('p1', 'Tidy the parser'), { id: 'i1', kind: 'instructions', files: ['AGENTS.md', '.plue/rules/style.md', '.cursor/rules/py.mdc'], reasons: { '.cursor/rules/py.mdc': 'applies to src/app.py' }, skipped: ['CLAUDE.md was not read: it is larger than 64 KiB'] }]),
    ...conversation().slice(1),
  ];
  const { page, errors } = await openChat({ messages: withInstructions });
  assert.equal(await page.locator('.composer-mode').isVisible(), false, 'a mode was shown before the host named one');
  await host(page, { type: 'session', session: session({ mode: 'mode-agent' }), instanceName: 'Anthropic (work)', modeName: 'Agent' });
  const mode = page.locator('.composer').getByRole('button', { name: 'Mode: Agent. Change the mode' });
  await mode.waitFor();
  await mode.click();
  assert.deepEqual(await lastPosted(page), { type: 'pickMode' });
  await host(page, { type: 'session', session: session({ mode: 'mode-ask' }), instanceName: 'Anthropic (work)', modeName: 'Ask' });
  await page.locator('.composer-mode', { hasText: 'Ask' }).waitFor();

  const instructions = page.locator('.part-instructions');
  assert.equal(await instructions.locator('summary').innerText(), 'Instructions (3), 1 not read');
  assert.equal(await instructions.locator('.instructions-files').isVisible(), false, 'the files list is open before it is asked for');
  await instructions.locator('summary').click();
  assert.deepEqual(await instructions.locator('.instructions-files li').allInnerTexts(), ['AGENTS.md', '.plue/rules/style.md', '.cursor/rules/py.mdc: applies to src/app.py', 'CLAUDE.md was not read: it is larger than 64 KiB']);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a mention chosen between two words leaves one space between them, not two', async () => {
  const { page } = await openChat();
  const input = page.getByRole('textbox', { name: 'Message' });
  await input.click();
  // The user writes both words, then goes back between them to mention a file: "Review @app please".
  await page.keyboard.type('Review  please');
  await page.keyboard.press('Home');
  for (let i = 0; i < 'Review '.length; i++) await page.keyboard.press('ArrowRight');
  await page.keyboard.type('@app');
  await page.waitForFunction(() => window.__posted.some(m => m.type === 'mentionSearch' && m.query === 'app'));
  const item = { kind: 'file', label: 'app.ts', description: 'src', path: 'src/app.ts' };
  await host(page, { type: 'mentionResults', query: 'app', items: [item] });
  await page.getByRole('listbox', { name: /^Mention/ }).getByRole('option', { name: /app\.ts/ }).waitFor();
  await page.keyboard.press('Enter');
  assert.deepEqual(await lastPosted(page), { type: 'mention', item });
  assert.equal(await input.inputValue(), 'Review please');
  await page.close();
});

test('mentions keep the sentence: each chosen mention is written as words where its @ was, and the message is sent whole', async () => {
  const { page } = await openChat();
  const input = page.getByRole('textbox', { name: 'Message' });
  await input.click();
  const choose = async (typed, query, item, attachment, mention) => {
    await page.keyboard.type(typed);
    await page.waitForFunction(q => window.__posted.some(m => m.type === 'mentionSearch' && m.query === q), query);
    await host(page, { type: 'mentionResults', query, items: [item] });
    await page.getByRole('listbox', { name: /^Mention/ }).getByRole('option').first().waitFor();
    await page.keyboard.press('Enter');
    assert.deepEqual(await lastPosted(page), { type: 'mention', item });
    // The host asks for the address or the words (an input box), then answers with the chip and its words.
    await host(page, { type: 'addAttachment', attachment, mention });
  };
  await choose('Summarise @url', 'url', { kind: 'url', label: 'URL' }, { kind: 'url', path: 'http://127.0.0.1:9/guide.html' }, 'the page http://127.0.0.1:9/guide.html');
  // The words end with a space, so what is typed next (another @ too) starts a word of its own.
  await page.keyboard.type('please, compare with @code');
  await choose('', 'code', { kind: 'codebase', label: 'Codebase' }, { kind: 'codebase', path: 'add function numbers' }, "the code found for 'add function numbers'");
  await page.keyboard.type('and @app');
  await choose('', 'app', { kind: 'file', label: 'app.ts', path: 'src/app.ts' }, { kind: 'file', path: 'src/app.ts', content: 'x', language: 'ts' }, 'src/app.ts');
  const whole = "Summarise the page http://127.0.0.1:9/guide.html please, compare with the code found for 'add function numbers' and src/app.ts";
  assert.equal(await input.inputValue(), `${whole} `);
  assert.equal(await page.locator('.chip').count(), 3);
  // A picked file (not a mention) adds its chip and leaves the text alone.
  await host(page, { type: 'addAttachment', attachment: { kind: 'file', path: 'notes.md', content: 'n', language: 'markdown' } });
  assert.equal(await input.inputValue(), `${whole} `);
  await page.keyboard.press('Enter');
  const sent = await lastPosted(page);
  assert.equal(sent.type, 'send');
  assert.equal(sent.text, whole);
  assert.equal(sent.attachments.length, 4);
  await page.close();
});

test('a compaction\'s summary is a closed block that expands to the summary; /compact posts compact with its focus, not a message', async () => {
  const compacted = message('a3', 'assistant', [
    { id: 'sm', kind: 'summary', text: '## The goal (the first message, verbatim)\n\nGOAL: port the parser', messages: 6, focus: 'the error type' },
    { id: 'st3', kind: 'step', model: 'gpt-5-mini', usage: usage(3_000, 200), costUsd: 0.001, costSource: 'catalog', finishReason: 'compacted' },
  ]);
  const { page } = await openChat({ messages: [...conversation(), compacted] });
  const block = page.locator('.part-summary');
  assert.match(await block.locator('summary').innerText(), /Conversation compacted \(6 messages\), focused on the error type/);
  assert.equal(await block.locator('.summary-body').isVisible(), false, 'closed until asked');
  await block.locator('summary').click();
  assert.equal(await block.locator('.summary-body h2').innerText(), 'The goal (the first message, verbatim)');
  assert.match(await block.locator('.summary-body').innerText(), /GOAL: port the parser/);

  const before = await page.locator('article.message').count();
  await page.locator('.composer textarea').fill('/compact the error type');
  await page.locator('.composer textarea').press('Enter');
  await page.waitForFunction(() => window.__posted.some(m => m.type === 'compact'));
  assert.deepEqual(await lastPosted(page), { type: 'compact', focus: 'the error type' });
  assert.equal(await page.locator('article.message').count(), before, 'no message of the user\'s is shown for /compact');
  await page.close();
});

test('a system message shows apart, labelled as one; /system <text> posts addSystem, not a message of the user\'s', async () => {
  const system = message('sy1', 'system', [{ id: 'syt', kind: 'text', text: 'Answer in French.' }]);
  const { page } = await openChat({ messages: [...conversation(), system] });
  const shown = page.locator('article.message-system-role');
  assert.equal(await shown.getAttribute('aria-label'), 'System message');
  assert.match(await shown.locator('.message-role').innerText(), /^System/);
  assert.match(await shown.innerText(), /Answer in French\./);
  assert.equal(await page.locator('article.message-user', { hasText: 'Answer in French.' }).count(), 0, 'not shown as the user\'s');

  const before = await page.locator('article.message').count();
  await page.locator('.composer textarea').fill('/system  Be brief. ');
  await page.locator('.composer textarea').press('Enter');
  await page.waitForFunction(() => window.__posted.some(m => m.type === 'addSystem'));
  assert.deepEqual(await lastPosted(page), { type: 'addSystem', text: 'Be brief.' });
  assert.equal(await page.locator('article.message').count(), before, 'no message of the user\'s is shown for /system');
  await page.close();
});

test('a message sent while the chat answers is queued above the composer: Send now, Edit and Remove post to the host', async () => {
  const { page, errors } = await openChat();
  await host(page, { type: 'busy', busy: true });
  const input = page.getByRole('textbox', { name: 'Message' });
  await input.fill('/compact and also check the tests');
  await page.keyboard.press('Enter');
  // While it answers, what is typed is sent to be queued, never read as a command, and not shown as sent yet.
  assert.deepEqual(await lastPosted(page), { type: 'send', text: '/compact and also check the tests', attachments: [] });
  assert.equal(await input.inputValue(), '');
  assert.equal(await page.locator('article.message-user', { hasText: 'check the tests' }).count(), 0, 'a queued message shows as sent');

  const queued = (id, text) => ({ id, sessionId: 's1', text, createdAt: '2026-11-21T10:06:00Z' });
  await host(page, { type: 'queued', queued: [queued('q1', '/compact and also check the tests'), queued('q2', 'then the docs')] });
  const rows = page.getByRole('group', { name: /Queued message/ });
  await rows.nth(1).waitFor();
  assert.equal(await rows.count(), 2);
  assert.match(await rows.first().innerText(), /Queued[\s\S]*check the tests/);
  await page.screenshot({ path: path.join(screenshots, 'chat-webview-queued.png') });

  await rows.nth(1).getByRole('button', { name: /^Send now/ }).click();
  assert.deepEqual(await lastPosted(page), { type: 'steer', id: 'q2' });
  await rows.first().getByRole('button', { name: 'Remove the queued message' }).click();
  assert.deepEqual(await lastPosted(page), { type: 'queueRemove', id: 'q1' });

  await rows.nth(1).getByRole('button', { name: 'Edit the queued message' }).click();
  const box = page.getByRole('textbox', { name: 'Queued message' });
  assert.equal(await box.inputValue(), 'then the docs');
  // The queue told again while editing keeps the box and what is typed in it.
  await box.fill('then the README');
  await host(page, { type: 'queued', queued: [queued('q1', '/compact and also check the tests'), queued('q2', 'then the docs')] });
  assert.equal(await page.getByRole('textbox', { name: 'Queued message' }).inputValue(), 'then the README');
  await page.keyboard.press('Enter');
  assert.deepEqual(await lastPosted(page), { type: 'queueEdit', id: 'q2', text: 'then the README' });
  assert.equal(await page.getByRole('textbox', { name: 'Queued message' }).count(), 0);

  // Escape in the edit box leaves the text as it was, and does not stop the reply.
  await rows.first().getByRole('button', { name: 'Edit the queued message' }).click();
  const count = (await posted(page)).length;
  await page.getByRole('textbox', { name: 'Queued message' }).press('Escape');
  assert.equal((await posted(page)).length, count, 'Escape in the edit box posted something');

  await host(page, { type: 'queued', queued: [] });
  await page.locator('.queued').waitFor({ state: 'hidden' });
  assert.deepEqual(errors, []);
  await page.close();
});

test('the composer lists what runs without asking here, mode and grants, and a grant\'s Revoke posts to the host', async () => {
  const { page, errors } = await openChat();
  const list = page.locator('details.auto-approved');
  assert.equal(await list.isHidden(), true, 'an empty list shows');
  await host(page, {
    type: 'autoApproved', rows: [
      { what: 'write', where: 'by the mode Agent' },
      { what: 'bash `npm test`', where: 'in this workspace', grantId: 'g-npm' },
      { what: 'edit src/**', where: 'in this chat', grantId: 'g-src' },
    ],
  });
  await list.waitFor();
  assert.match(await list.locator('summary').innerText(), /Runs without asking here \(3\)/);
  await list.locator('summary').click();
  const rows = list.getByRole('group');
  assert.deepEqual(await rows.evaluateAll(els => els.map(e => e.getAttribute('aria-label'))),
    ['write, by the mode Agent', 'bash `npm test`, in this workspace', 'edit src/**, in this chat']);
  await page.screenshot({ path: path.join(screenshots, 'chat-webview-auto-approved.png') });

  await rows.nth(1).getByRole('button', { name: /^Revoke: bash `npm test` in this workspace/ }).click();
  assert.deepEqual(await lastPosted(page), { type: 'revokeGrant', id: 'g-npm' });
  // A mode's tool is not revoked: its row offers the mode picker.
  assert.equal(await rows.first().getByRole('button', { name: /^Revoke/ }).count(), 0);
  await rows.first().getByRole('button', { name: 'Change the chat\'s mode' }).click();
  assert.deepEqual(await lastPosted(page), { type: 'pickMode' });

  await host(page, { type: 'autoApproved', rows: [{ what: 'write', where: 'by the mode Agent' }] });
  await page.waitForFunction(() => document.querySelectorAll('.auto-approved-row').length === 1);
  await host(page, { type: 'autoApproved', rows: [] });
  await list.waitFor({ state: 'hidden' });
  assert.deepEqual(errors, []);
  await page.close();
});

test('a tool call card names the rule that let it through or stopped it', async () => {
  const call = (id, state, approval) => ({ id, kind: 'tool_use', toolCallId: `c-${id}`, name: 'bash', input: { command: 'npm test' }, state, approval });
  const { page, errors } = await openChat({
    messages: [message('a9', 'assistant', [
      call('t-grant', 'completed', { decision: 'allow', source: 'workspace', rule: 'grant: bash `npm test` in this workspace', grantId: 'g-npm' }),
      call('t-denied', 'denied', { decision: 'deny', source: 'user', rule: 'you denied it' }),
    ])],
  });
  const cards = page.locator('details.part-tool');
  await cards.nth(1).waitFor();
  assert.equal(await cards.first().locator('.tool-approval').innerText(), 'allowed by grant');
  assert.equal(await cards.first().locator('.tool-approval').getAttribute('title'), 'grant: bash `npm test` in this workspace');
  assert.match(await cards.first().locator('summary').getAttribute('aria-label'), /allowed by grant: bash `npm test` in this workspace/);
  await cards.first().locator('summary').click();
  assert.equal(await cards.first().locator('.tool-rule').innerText(), 'Allowed: grant: bash `npm test` in this workspace');
  assert.equal(await cards.nth(1).locator('.tool-approval').innerText(), 'denied by you');
  assert.deepEqual(errors, []);
  await page.close();
});

test('the sandbox policy a command will run under is shown on its approval card and in the chat\'s header, readable in the four themes', async () => {
  for (const theme of ['dark', 'light', 'hcDark', 'hcLight']) {
    const { page, errors } = await openChat({ theme });
    const note = page.locator('.chat-header').getByRole('note', { name: /^Commands run in the sandbox/ });
    assert.equal(await note.count(), 0, 'a sandbox is shown before the host told one');
    await host(page, { type: 'session', session: session({ mode: 'mode-agent' }), instanceName: 'Anthropic (work)', modeName: 'Agent', sandboxPolicy: 'Workspace write (home hidden, no network)' });
    await note.waitFor();
    assert.equal(await note.getAttribute('aria-label'), 'Commands run in the sandbox: Workspace write (home hidden, no network)');
    assert.equal(await note.innerText(), 'Workspace write');
    const prompt = {
      id: 'ap1', sessionId: 's1', owner: 'chat "Refactor the parser"', tool: 'bash', title: 'Run npm test',
      preview: { kind: 'command', text: 'npm test' }, narrow: { kind: 'prefix', value: 'npm test' }, sandboxPolicy: 'Workspace write (home hidden, no network)',
    };
    await host(page, { type: 'approvals', approvals: [prompt] });
    const card = page.getByRole('group', { name: 'Run npm test' });
    await card.waitFor();
    assert.equal(await card.locator('.approval-sandbox').innerText(), 'Runs in the sandbox: Workspace write (home hidden, no network)');
    for (const [name, locator] of [['header', note], ['card', card.locator('.approval-sandbox > span:not(.codicon)')]]) {
      const { ratio, color } = await locator.evaluate(textContrast);
      assert.ok(ratio >= 4.5, `the ${name}'s sandbox line has a contrast of ${ratio}:1 (${color}) in ${theme}`);
    }
    // A mode whose policy is off says its commands run unconfined, on the card and in the header.
    await host(page, { type: 'approvals', approvals: [{ ...prompt, id: 'ap2', sandboxPolicy: 'Off (not sandboxed)' }] });
    await card.locator('.approval-sandbox-off', { hasText: 'Runs without the sandbox: Off' }).waitFor();
    await host(page, { type: 'session', session: session({ mode: 'mode-yolo' }), instanceName: 'Anthropic (work)', modeName: 'Yolo', sandboxPolicy: 'Off (not sandboxed)' });
    await page.locator('.chat-header').getByRole('note', { name: 'Commands run without the sandbox: Off' }).waitFor();
    // A machine that cannot make a sandbox: the policy is named, and the card and header say it does not apply here.
    const cannot = 'Workspace write, which this machine cannot apply (not sandboxed)';
    await host(page, { type: 'approvals', approvals: [{ ...prompt, id: 'ap3', sandboxPolicy: cannot }] });
    await card.locator('.approval-sandbox-off').waitFor();
    assert.equal(await card.locator('.approval-sandbox-off').innerText(), 'Runs without the sandbox: Workspace write, which this machine cannot apply');
    // A task in a container, or a swarm job: the card names the place its command runs in, not a sandbox here.
    await host(page, { type: 'approvals', approvals: [{ ...prompt, id: 'ap4', sandboxPolicy: 'in its job\'s container on a node of the swarm Cluster, not this machine\'s sandbox' }] });
    await card.locator('.approval-sandbox', { hasText: 'Runs in its job' }).waitFor();
    assert.equal(await card.locator('.approval-sandbox').innerText(), 'Runs in its job\'s container on a node of the swarm Cluster, not this machine\'s sandbox');
    assert.equal(await card.locator('.approval-sandbox .codicon-vm').count(), 1, 'the place has the container\'s icon, not a lock');
    const placed = await card.locator('.approval-sandbox > span:not(.codicon)').evaluate(textContrast);
    assert.ok(placed.ratio >= 4.5, `the card's place line has a contrast of ${placed.ratio}:1 in ${theme}`);
    await host(page, { type: 'session', session: session(), instanceName: 'Anthropic (work)', modeName: 'Agent', sandboxPolicy: cannot });
    const offNote = page.locator('.chat-header').getByRole('note', { name: 'Commands run without the sandbox: Workspace write, which this machine cannot apply', exact: true });
    await offNote.waitFor();
    assert.equal(await offNote.locator('.chat-sandbox-name').innerText(), 'Workspace write');
    if (theme === 'dark') {
      await page.screenshot({ path: path.join(screenshots, 'chat-sandbox-policy-dark.png') });
    }
    assert.deepEqual(errors, []);
    await page.close();
  }
});
