// The secrets matrix: every provider (OpenAI-compatible, Anthropic, Ollama, Gemini, Vertex AI with a service account
// and with application-default credentials, Azure, Bedrock with a key, a bearer token, a profile, SSO and the
// environment, Claude Code) against one loopback fake that echoes each request's URL, headers and body back, in an
// error body and in a streamed answer. The keys given and every credential the fake saw (derived tokens, session
// tokens, signatures, a password in an endpoint's URL) must be found nowhere, in any form: not in a frame the client
// got, not in stderr at trace level, not in any file under the home (plue.db holds the stored messages and errors),
// not in the argv or the environment of any child of the sidecar (the claude CLI's holds its own key, on purpose),
// not in the chat webview's page: each chat, as the extension opens it (session/get, session/messages, `init`), is
// rendered by the built webview (out/webview) in chromium, and its markup, text and inputs are searched too.
/* global window */ // webviewPages() runs its callbacks in the page
import test from 'node:test';
import assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { descendants, filesUnder, leaks, procView, scratch, startSidecar } from './support/processes.mjs';
import { launchBrowser } from '../support/browser.mjs';
import { pageText } from '../support/secrets.mjs';
import { startHarness, vscodeApiShim } from '../webview/harness.mjs';

const given = {
  openai: 'sk-matrix-openai/0123456789+abc=',
  anthropic: 'sk-ant-matrix-anthropic-0123456789',
  ollamaProxy: 'matrix-ollama-proxy-token-0123456789',
  gemini: 'AIzaMatrixGemini0123456789abcdef',
  azure: 'matrix-azure-key-0123456789abcdef',
  bedrockSecret: 'matrixBedrockSecret/0123456789+abcdefghij',
  bedrockSession: 'matrixBedrockSessionToken/0123456789+ABC==',
  bedrockBearer: 'ABSKmatrixBedrockBearer0123456789abcdef',
  profileSecret: 'matrixProfileSecret/0123456789+abcdefghij',
  profileSession: 'matrixProfileSessionToken/0123456789+DEF==',
  ssoToken: 'matrix-sso-access-token-0123456789abcdef',
  roleSecret: 'matrixRoleSecret/0123456789+abcdefghijklm',
  roleSession: 'matrixRoleSessionToken/0123456789+GHI==',
  envSecret: 'matrixEnvSecret/0123456789+abcdefghijklmno',
  envSession: 'matrixEnvSessionToken/0123456789+JKL==',
  saToken: 'ya29.matrix-service-account-token-0123456789',
  adcToken: 'ya29.matrix-adc-token-0123456789abcdef',
  adcClientSecret: 'matrix-adc-client-secret-0123456789',
  adcRefreshToken: '1//matrix-adc-refresh-token-0123456789',
  cliKey: 'sk-ant-api-matrix-cli-key-0123456789',
  endpointPassword: 'matrix-endpoint-url-password-0123456789',
  sidecarUrlPassword: 'matrix-sidecar-url-password-0123456789',
};

/** AWS event stream framing (Bedrock's converse-stream): prelude, headers, payload, each part's CRC32. */
const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xEDB88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(bytes) {
  let c = 0xFFFFFFFF;
  for (const b of bytes) c = crcTable[(c ^ b) & 0xFF] ^ (c >>> 8);
  return (c ^ 0xFFFFFFFF) >>> 0;
}
function eventMessage(type, payload) {
  const headers = Buffer.concat(Object.entries({ ':event-type': type, ':content-type': 'application/json', ':message-type': 'event' }).map(([name, value]) => {
    const v = Buffer.from(value);
    const head = Buffer.alloc(name.length + 4);
    head.writeUInt8(name.length, 0);
    head.write(name, 1);
    head.writeUInt8(7, name.length + 1);
    head.writeUInt16BE(v.length, name.length + 2);
    return Buffer.concat([head, v]);
  }));
  const body = Buffer.from(JSON.stringify(payload));
  const prelude = Buffer.alloc(8);
  prelude.writeUInt32BE(16 + headers.length + body.length, 0);
  prelude.writeUInt32BE(headers.length, 4);
  const preludeCrc = Buffer.alloc(4);
  preludeCrc.writeUInt32BE(crc32(prelude));
  const message = Buffer.concat([prelude, preludeCrc, headers, body]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(message));
  return Buffer.concat([message, crc]);
}

/** The echo, cut in pieces of 7 characters, so every secret is split across chunks. */
const pieces = (text) => text.match(/[\s\S]{1,7}/g);

/** A whole streamed answer whose text is `text`, in the wire format the request's path asks for. */
function streamOf(url, text) {
  const sse = (event, data) => `${event ? `event: ${event}\n` : ''}data: ${JSON.stringify(data)}\n\n`;
  if (url.includes('/chat/completions')) {
    return { type: 'text/event-stream', body: pieces(text).map((p) => sse(null, { id: 'c1', object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content: p } }] })).join('')
      + sse(null, { id: 'c1', object: 'chat.completion.chunk', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] }) + 'data: [DONE]\n\n' };
  }
  if (url.includes('/v1/messages') || url.includes(':streamRawPredict')) {
    return { type: 'text/event-stream', body: sse('message_start', { type: 'message_start', message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-matrix', content: [], usage: { input_tokens: 3, output_tokens: 0 } } })
      + sse('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } })
      + pieces(text).map((p) => sse('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: p } })).join('')
      + sse('content_block_stop', { type: 'content_block_stop', index: 0 })
      + sse('message_delta', { type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 2 } })
      + sse('message_stop', { type: 'message_stop' }) };
  }
  if (url.includes(':streamGenerateContent')) {
    return { type: 'text/event-stream', body: pieces(text).map((p) => sse(null, { candidates: [{ content: { role: 'model', parts: [{ text: p }] } }] })).join('')
      + sse(null, { candidates: [{ content: { role: 'model', parts: [{ text: '.' }] }, finishReason: 'STOP' }], usageMetadata: { promptTokenCount: 3, candidatesTokenCount: 2 } }) };
  }
  if (url.includes('/api/chat')) {
    return { type: 'application/x-ndjson', body: pieces(text).map((p) => `${JSON.stringify({ model: 'm', message: { role: 'assistant', content: p }, done: false })}\n`).join('')
      + `${JSON.stringify({ model: 'm', message: { role: 'assistant', content: '' }, done: true, done_reason: 'stop', prompt_eval_count: 3, eval_count: 2 })}\n` };
  }
  if (url.includes('/converse-stream')) {
    return { type: 'application/vnd.amazon.eventstream', body: Buffer.concat([
      ...pieces(text).map((p) => eventMessage('contentBlockDelta', { contentBlockIndex: 0, delta: { text: p } })),
      eventMessage('contentBlockStop', { contentBlockIndex: 0 }),
      eventMessage('messageStop', { stopReason: 'end_turn' }),
      eventMessage('metadata', { usage: { inputTokens: 3, outputTokens: 2 } }),
    ]) };
  }
  return null;
}

/**
 * The echoing fake. /token is Google's token endpoint (a token per grant), /federation/credentials the AWS SSO portal;
 * every other request is echoed: under /err in a 400 error body, under /ok in a streamed answer.
 */
async function echoingFake(t) {
  const seen = new Set();
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => {
      for (const [name, value] of Object.entries(req.headers)) {
        if (!/^(authorization|x-api-key|api-key|x-goog-api-key|x-amz-security-token|x-amz-sso_bearer_token)$/.test(name)) continue;
        // A bearer's token, a SigV4 signature, any other credential header whole.
        seen.add(/^Bearer (.+)$/.exec(value)?.[1] ?? /Signature=([0-9a-f]+)/.exec(value)?.[1] ?? value);
      }
      const json = (status, value) => { res.writeHead(status, { 'content-type': 'application/json' }); res.end(JSON.stringify(value)); };
      if (req.url === '/token') {
        const form = new URLSearchParams(body);
        seen.add(form.get('assertion') ?? form.get('client_secret'));
        return json(200, { access_token: form.get('assertion') ? given.saToken : given.adcToken, expires_in: 3600, token_type: 'Bearer' });
      }
      if (req.url.startsWith('/federation/credentials')) {
        return json(200, { roleCredentials: { accessKeyId: 'ASIAMATRIXROLE', secretAccessKey: given.roleSecret, sessionToken: given.roleSession, expiration: Date.now() + 3_600_000 } });
      }
      if (req.url === '/ok/api/show' || req.url === '/err/api/show') return json(200, { model_info: { 'llama.context_length': 8192 } });
      const echo = `Echo of ${req.method} ${req.url} headers ${JSON.stringify(req.headers)} body ${body.slice(0, 4000)}`;
      const stream = req.url.startsWith('/ok') && streamOf(req.url, echo);
      if (!stream) return json(400, { error: { message: echo, type: 'invalid_request_error' } });
      res.writeHead(200, { 'content-type': stream.type });
      res.end(stream.body);
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => { server.closeAllConnections(); server.close(); });
  return { url: `http://127.0.0.1:${server.address().port}`, seen };
}

function claudeCli() {
  const cli = process.env.PLUE_CLAUDE_CLI || path.join(os.homedir(), '.cache', 'plue-vscode', 'claude', 'node_modules', '.bin', 'claude');
  return fs.existsSync(cli) ? cli : null;
}

/** The instances of the matrix: [name, instances/create params less the endpoint, the model, the endpoint's path, its user info]. */
function cases() {
  const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const serviceAccount = (url) => JSON.stringify({ type: 'service_account', client_email: 'matrix@plue-matrix.iam.gserviceaccount.com', private_key_id: 'kid-matrix',
    private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }), token_uri: `${url}/token` });
  return (url) => [
    ['OpenAI-compatible', { catalogProviderId: 'openai-compatible', apiKey: given.openai, defaultModel: 'gpt-matrix' }, 'gpt-matrix', '/v1'],
    ['OpenAI-compatible, a password in its URL', { catalogProviderId: 'openai-compatible', defaultModel: 'gpt-matrix' }, 'gpt-matrix', '/v1', `matrix:${given.endpointPassword}@`],
    ['Anthropic', { catalogProviderId: 'anthropic', apiKey: given.anthropic }, 'claude-matrix', ''],
    ['Ollama', { catalogProviderId: 'ollama', apiKey: given.ollamaProxy }, 'llama-matrix', ''],
    ['Gemini', { catalogProviderId: 'gemini', apiKey: given.gemini }, 'gemini-matrix', ''],
    ['Vertex AI, service account', { catalogProviderId: 'vertexai', apiKey: serviceAccount(url), project: 'plue-matrix', region: 'global' }, 'gemini-2.5-flash', ''],
    ['Vertex AI, application default', { catalogProviderId: 'vertexai', project: 'plue-matrix', region: 'global' }, 'claude-sonnet-4-5-20250929', ''],
    ['Azure', { catalogProviderId: 'azure', apiKey: given.azure }, 'gpt-5', ''],
    ['Bedrock, keys', { catalogProviderId: 'bedrock', apiKey: JSON.stringify({ accessKeyId: 'AKIAMATRIXVAULT', secretAccessKey: given.bedrockSecret, sessionToken: given.bedrockSession }) }, 'us.anthropic.claude-sonnet-5', ''],
    ['Bedrock, bearer token', { catalogProviderId: 'bedrock', apiKey: given.bedrockBearer, credential: 'authToken' }, 'us.anthropic.claude-sonnet-5', ''],
    ['Bedrock, profile', { catalogProviderId: 'bedrock', profile: 'matrix' }, 'us.anthropic.claude-sonnet-5', ''],
    ['Bedrock, SSO', { catalogProviderId: 'bedrock', profile: 'matrix-sso' }, 'us.anthropic.claude-sonnet-5', ''],
    ...(claudeCli() ? [['Claude Code', { catalogProviderId: 'claude-code', apiKey: given.cliKey, cliPath: claudeCli() }, 'claude-sonnet-4-5', '']] : []),
  ];
}

/** The user's home with its cloud files: Google's application-default credentials, AWS credentials, config and SSO cache. */
function userHome(dir, fakeUrl) {
  const home = path.join(dir, 'user');
  fs.mkdirSync(path.join(home, '.aws', 'sso', 'cache'), { recursive: true });
  const adc = path.join(home, 'adc.json');
  fs.writeFileSync(adc, JSON.stringify({ type: 'authorized_user', client_id: 'matrix-client', client_secret: given.adcClientSecret, refresh_token: given.adcRefreshToken, token_uri: `${fakeUrl}/token` }));
  fs.writeFileSync(path.join(home, '.aws', 'credentials'), `[matrix]\naws_access_key_id = AKIAMATRIXPROFILE\naws_secret_access_key = ${given.profileSecret}\naws_session_token = ${given.profileSession}\n`);
  fs.writeFileSync(path.join(home, '.aws', 'config'), '[profile matrix-sso]\nsso_session = matrix\nsso_account_id = 111122223333\nsso_role_name = Matrix\nregion = us-east-1\n'
    + '[sso-session matrix]\nsso_start_url = https://d-matrix.awsapps.com/start\nsso_region = us-east-1\n');
  const cache = crypto.createHash('sha1').update('matrix').digest('hex');
  fs.writeFileSync(path.join(home, '.aws', 'sso', 'cache', `${cache}.json`), JSON.stringify({ accessToken: given.ssoToken, expiresAt: new Date(Date.now() + 3_600_000).toISOString() }));
  const cliConfig = path.join(dir, 'claude');
  fs.mkdirSync(cliConfig, { recursive: true });
  return {
    HOME: home, GOOGLE_APPLICATION_CREDENTIALS: adc, AWS_SHARED_CREDENTIALS_FILE: path.join(home, '.aws', 'credentials'), AWS_CONFIG_FILE: path.join(home, '.aws', 'config'),
    AWS_ENDPOINT_URL_SSO: fakeUrl, CLAUDE_CONFIG_DIR: cliConfig, CLAUDE_CODE_MAX_RETRIES: '0', ANTHROPIC_API_KEY: '', ANTHROPIC_AUTH_TOKEN: '', CLAUDE_CODE_OAUTH_TOKEN: '',
    AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_SESSION_TOKEN: '', AWS_PROFILE: '',
    // A variable the user asks children to see, whose URL holds a password: left out all the same.
    PLUE_CHILD_ENV: 'MATRIX_DATABASE_URL', MATRIX_DATABASE_URL: `postgres://matrix:${given.sidecarUrlPassword}@db.invalid/matrix`,
  };
}

/** What every child of the sidecar shows to anyone who may read /proc: its argv, and its environment less the key it is given on purpose. */
function children(pid) {
  return descendants(pid).map(procView).flatMap(({ pid: child, comm, cmdline, environ }) => [
    [`argv of ${comm} (${child})`, cmdline],
    [`environ of ${comm} (${child})`, environ.toString('latin1').split('\0').filter((v) => v !== `ANTHROPIC_API_KEY=${given.cliKey}`).join('\0')],
  ]);
}

/** Runs each case's chat twice (the echo as an error, then as a streamed answer) on one sidecar; returns every place to search. */
async function runMatrix(t, dir, fake, list, env) {
  const home = path.join(dir, `home-${Math.random().toString(36).slice(2)}`);
  const s = startSidecar(t, { home, env: { PLUE_LOG_LEVEL: 'Trace', ...env } });
  await s.initialize({ workspaceFolders: [dir], trusted: true });
  const outcomes = [];
  const places = [];
  const chats = [];
  for (const [name, params, model, suffix, userInfo = ''] of list) {
    for (const mode of ['err', 'ok']) {
      const endpoint = `${fake.url.replace('://', `://${userInfo}`)}/${mode}${suffix}`;
      const instance = await s.request('instances/create', { displayName: `${name} ${mode}`, endpoint, ...params }).catch((e) => ({ refused: e.message }));
      if (instance.refused) {
        outcomes.push(`${name} ${mode}: refused: ${instance.refused}`);
        continue;
      }
      const chat = await s.request('session/create', { instanceId: instance.id, modelId: model });
      const outcome = await s.request('session/send', { sessionId: chat.id, text: 'hello' }).then((m) => JSON.stringify(m), (e) => `error: ${e.message}`);
      outcomes.push(`${name} ${mode}: ${outcome.slice(0, 600)}`);
      // What the chat panel gets when it opens the chat: the webview renders it below.
      const [session, { messages, hasMore }] = await Promise.all([s.request('session/get', { id: chat.id }), s.request('session/messages', { id: chat.id })]);
      chats.push([`${name} ${mode}`, { type: 'init', session, messages, hasMore, instanceName: instance.displayName }]);
      // The claude CLI stays for the chat's next turn: seen here, while it runs.
      places.push(...children(s.pid));
    }
  }
  await s.stop();
  return { outcomes, chats, places: [['frames', s.frames()], ['stderr', s.stderr()], ...filesUnder(home).map(([file, bytes]) => [`file ${path.relative(home, file)}`, bytes]), ...places] };
}

/** Each chat's `init` rendered by the chat webview in chromium, under the extension's HTML and CSP: [where, the page's markup, text and inputs]. */
async function webviewPages(t, chats) {
  const harness = await startHarness();
  const browser = await launchBrowser();
  t.after(async () => { await browser.close().catch(() => {}); await harness.close(); });
  const pages = [];
  for (const [name, init] of chats) {
    const page = await browser.newPage();
    await page.addInitScript(vscodeApiShim);
    await page.goto(harness.pageUrl());
    await page.waitForFunction(() => window.__posted.some((m) => m.type === 'ready'));
    await page.evaluate((m) => window.postMessage(m, '*'), init);
    await page.locator('.chat-title', { hasText: init.session.title }).waitFor();
    pages.push([`webview page of ${name}`, await pageText(page, { passwords: true })]);
    await page.close();
  }
  return pages;
}

/** A secret's forms beyond those leaks() knows: JSON-escaped (a '/' as '\/', '+' as \u002B). */
function withJsonForms(secrets) {
  return [...new Set(secrets.flatMap((secret) => [secret, JSON.stringify(secret).slice(1, -1), secret.replaceAll('/', '\\/'), secret.replaceAll('+', '\\u002B')]))];
}

test('every provider × an echoing fake: no secret, in any form, in frames, logs or the home', { timeout: 600_000 }, async (t) => {
  const dir = scratch(t, 'plue-matrix-');
  const fake = await echoingFake(t);
  const env = userHome(dir, fake.url);
  const list = cases(dir)(fake.url);

  const first = await runMatrix(t, dir, fake, list, env);
  // The environment's AWS keys win over any profile, so they get a sidecar of their own; its claude CLI must not get them.
  const claudeCode = list.filter(([name]) => name === 'Claude Code').map(([name, ...rest]) => [`${name}, AWS keys in the sidecar's environment`, ...rest]);
  const second = await runMatrix(t, dir, fake, [['Bedrock, environment', { catalogProviderId: 'bedrock' }, 'us.anthropic.claude-sonnet-5', ''], ...claudeCode],
    { ...env, AWS_ACCESS_KEY_ID: 'AKIAMATRIXENV', AWS_SECRET_ACCESS_KEY: given.envSecret, AWS_SESSION_TOKEN: given.envSession });

  const outcomes = [...first.outcomes, ...second.outcomes];
  if (process.env.PLUE_MATRIX_SHOW) console.log(outcomes.join('\n'));
  // Each case reached the fake and had its echo back (scrubbed), as an error and as a streamed answer.
  for (const [name] of [...list, ['Bedrock, environment'], ...claudeCode]) {
    const err = outcomes.find((o) => o.startsWith(`${name} err:`));
    const ok = outcomes.find((o) => o.startsWith(`${name} ok:`));
    // An endpoint with a password is refused at entry, saying where the password goes instead.
    if (name.includes('password in its URL')) {
      for (const outcome of [err, ok]) assert.match(outcome, /refused: .*holds a password .* give it as the instance's key/, outcome);
      continue;
    }
    // The claude CLI says what failed in its own words ("Invalid API key"), without the body.
    assert.match(err, name.startsWith('Claude Code') ? /"status":"error"/ : /"status":"error","error":".*Echo of/, err);
    assert.match(ok, /"status":"complete".*Echo of|Echo of.*"status":"complete"/, ok);
  }
  const secrets = withJsonForms([...Object.values(given), ...fake.seen].filter((s) => s && s.length >= 16));
  const pages = await webviewPages(t, [...first.chats, ...second.chats]);
  // The pages show the chats (each echo, its secrets starred), so searching them means something.
  for (const [name] of list.filter(([n]) => !n.includes('password in its URL'))) assert.match(pages.find(([where]) => where === `webview page of ${name} ok`)?.[1] ?? '', /Echo of POST/, `${name}: the webview shows the echo`);
  const places = [...first.places, ...second.places, ...pages];
  assert.ok(!claudeCli() || places.some(([where]) => where.startsWith('environ of claude')), 'the claude CLI was seen running');
  // Each finding names the secret's first characters, so a failure says which credential leaked.
  const found = secrets.flatMap((secret) => leaks(places, [secret]).map((where) => `${where} (${secret.slice(0, 12)}…)`));
  assert.deepEqual(found, [], `secrets found:\n${found.slice(0, 40).join('\n')}`);
  // The echo was scrubbed, not lost: the headers are still there with their secrets starred.
  assert.match(Buffer.concat(first.places.filter(([w]) => w === 'frames').map(([, b]) => b)).toString(), /\*\*\*/);
});
