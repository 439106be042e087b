// A remote MCP server behind an OAuth 2.1 authorization server, both on 127.0.0.1, node's standard library only.
// The MCP server speaks Streamable HTTP (one JSON-RPC message per POST, answered as application/json) and refuses a
// request without a live bearer token with 401 and a WWW-Authenticate resource_metadata hint (RFC 9728). The
// authorization server publishes RFC 8414 metadata, registers clients dynamically (RFC 7591), shows a sign-in page
// whose "Allow" link redirects with a code, and exchanges codes (PKCE S256 checked) and refresh tokens (rotated).
// `expireAccess()` ends the access tokens issued so far, `revokeAll()` revokes every token, and `accessSeconds` sets
// the lifetime of the next access tokens. Besides its tools it has resources (resources/list, resources/read) and
// prompts (prompts/list, prompts/get), and its `confirm` tool asks the user through the client (elicitation/create,
// sent on the tool call's response stream as server-sent events, answered by the client's next POST).
import { createHash, randomBytes } from 'node:crypto';
import * as http from 'node:http';

const token = (prefix) => `${prefix}_${randomBytes(18).toString('base64url')}`;

function listen(handler, host = '127.0.0.1') {
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => {
      try {
        handler(req, res, body);
      } catch (e) {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(String(e?.stack ?? e));
      }
    });
  });
  return new Promise((resolve) => server.listen(0, host, () => resolve(server)));
}

const json = (res, status, value, headers = {}) => {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers });
  res.end(JSON.stringify(value));
};

/** What the MCP server offers besides its tools. */
export const loopbackResources = [
  { uri: 'loopback://notes/welcome', name: 'welcome', title: 'Welcome note', mimeType: 'text/markdown', text: '# Welcome\nThe loopback server keeps this note for its tests.' },
  { uri: 'loopback://notes/limits', name: 'limits', title: 'Rate limits', mimeType: 'text/plain', text: 'Ten requests a minute per token.' },
];
export const loopbackPrompts = [{
  name: 'review',
  title: 'Review a file',
  description: 'Asks for a review of one file.',
  arguments: [{ name: 'file', description: 'The file to review', required: true }, { name: 'focus', description: 'What to look at first' }],
  messages: (args) => [
    { role: 'user', content: { type: 'text', text: `Review ${args.file}${args.focus ? `, looking at ${args.focus} first` : ''}.` } },
    { role: 'assistant', content: { type: 'text', text: 'I will read it and list the problems I find.' } },
  ],
}];
/** The form the `confirm` tool asks the user to fill. */
export const confirmSchema = {
  type: 'object',
  properties: {
    environment: { type: 'string', title: 'Environment', enum: ['staging', 'production'] },
    replicas: { type: 'number', title: 'Replicas', minimum: 1 },
    notify: { type: 'boolean', title: 'Notify the team' },
    note: { type: 'string', title: 'Note' },
  },
  required: ['environment'],
};

/**
 * Starts both servers; the MCP server has one tool, `echo` (and `confirm`, which asks the user first, when
 * `confirmTool` is set), and also takes `staticToken` (if given) as a bearer token, as a server with API keys does.
 * `authHost` is the loopback address of the authorization server: another than 127.0.0.1 (127.0.0.2) stands for one
 * elsewhere: code-server opens a page on localhost or 127.0.0.1 through its own proxy, at the proxy's root (the path
 * and query dropped). Returns the MCP endpoint (`url`), the issuer, what each saw (`seen`: registrations,
 * authorizations, token grants by type, MCP calls with the token they carried, resources read, elicitation answers,
 * the client's capabilities) and every token issued (`issued`), and `close()`. With `echoToken` a hostile server
 * echoes the bearer token it was sent: raw in its tools' descriptions, raw, base64 and JSON-escaped in a call's result,
 * and raw, URL-encoded, base64 and JSON-escaped (the solidus too) in its resources' and prompts' descriptions and texts.
 */
// `hostile` answers the authorization server's requests in its stead: `{ register(req, res, body), token(req, res, body) }`,
// either one (faults: a huge answer, a redirect to another origin); its `mcp(message, res)` may answer an MCP request
// in the MCP server's stead (it returns true when it did: a huge stream).
export async function startRemoteMcp({ accessSeconds = 3600, staticToken, confirmTool = false, authHost = '127.0.0.1', clientDocuments, echoToken = false, hostile = {} } = {}) {
  const clients = new Map();
  // Client ID metadata documents the server accepts, URL → document: the lookup stands for fetching it over HTTPS.
  const clientOf = (id) => clients.get(id)
    ?? (clientDocuments?.[id] && { client_id: id, redirect_uris: clientDocuments[id].redirect_uris, document: true });
  // A document's loopback redirect matches on any port (RFC 8252: the client picks a free one each time).
  const redirectAllowed = (client, uri) => client.redirect_uris.includes(uri)
    || (client.document && client.redirect_uris.some((allowed) => { const a = new URL(allowed); const b = new URL(uri); return a.hostname === b.hostname && a.pathname === b.pathname && b.hostname === '127.0.0.1'; }));
  const codes = new Map();
  const access = new Map(); // token → { expiresAt, revoked }
  const refresh = new Map(); // token → { clientId, revoked }
  const seen = { registrations: 0, authorizations: 0, clientIds: [], grants: [], calls: [], unauthorized: 0, reads: [], elicitations: [] };
  const issued = [];
  const secrets = [];
  const state = { accessSeconds };

  const auth = await listen((req, res, body) => {
    const url = new URL(req.url, issuer);
    if (req.method === 'GET' && url.pathname === '/.well-known/oauth-authorization-server') {
      return json(res, 200, {
        issuer,
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint: `${issuer}/token`,
        registration_endpoint: `${issuer}/register`,
        response_types_supported: ['code'],
        grant_types_supported: ['authorization_code', 'refresh_token'],
        code_challenge_methods_supported: ['S256'],
        token_endpoint_auth_methods_supported: ['client_secret_post', 'none'],
        scopes_supported: ['mcp'],
        ...(clientDocuments ? { client_id_metadata_document_supported: true } : {}),
      });
    }
    if (req.method === 'POST' && url.pathname === '/register' && hostile.register) return hostile.register(req, res, body);
    if (req.method === 'POST' && url.pathname === '/token' && hostile.token) return hostile.token(req, res, body);
    if (req.method === 'POST' && url.pathname === '/register') {
      const request = JSON.parse(body);
      const client = { client_id: token('client'), client_secret: token('secret'), redirect_uris: request.redirect_uris };
      clients.set(client.client_id, client);
      secrets.push(client.client_secret);
      seen.registrations++;
      return json(res, 201, { ...client, client_name: request.client_name, token_endpoint_auth_method: 'client_secret_post', grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'] });
    }
    if (req.method === 'GET' && url.pathname === '/authorize') {
      const p = Object.fromEntries(url.searchParams);
      const client = clientOf(p.client_id);
      if (!client || !redirectAllowed(client, p.redirect_uri)) return json(res, 400, { error: 'invalid_client' });
      if (p.response_type !== 'code' || p.code_challenge_method !== 'S256' || !p.code_challenge) return json(res, 400, { error: 'invalid_request', error_description: 'PKCE S256 is required' });
      if (p.approve !== 'yes') {
        // The page a user sees: the "Allow" link is the browser step.
        url.searchParams.set('approve', 'yes');
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end(`<!doctype html><title>Sign in to Loopback MCP</title><h1>Sign in to Loopback MCP</h1><a id="allow" href="${url.pathname}${url.search.replaceAll('&', '&amp;')}">Allow</a>`);
        return;
      }
      const code = token('code');
      secrets.push(code);
      codes.set(code, { clientId: p.client_id, redirectUri: p.redirect_uri, challenge: p.code_challenge, resource: p.resource });
      seen.authorizations++;
      seen.clientIds.push(p.client_id);
      const back = new URL(p.redirect_uri);
      back.searchParams.set('code', code);
      back.searchParams.set('state', p.state);
      back.searchParams.set('iss', issuer);
      res.writeHead(302, { location: back.toString() });
      res.end();
      return;
    }
    if (req.method === 'POST' && url.pathname === '/token') {
      const p = Object.fromEntries(new URLSearchParams(body));
      const client = clientOf(p.client_id);
      // A document's client is public (PKCE is its proof); a registered one has its secret.
      if (!client || (!client.document && client.client_secret !== p.client_secret)) return json(res, 401, { error: 'invalid_client' });
      seen.grants.push(p.grant_type);
      if (p.grant_type === 'authorization_code') {
        const code = codes.get(p.code);
        codes.delete(p.code);
        const verified = code && createHash('sha256').update(p.code_verifier ?? '').digest('base64url') === code.challenge;
        if (!verified || code.clientId !== p.client_id || code.redirectUri !== p.redirect_uri) return json(res, 400, { error: 'invalid_grant' });
        return json(res, 200, tokens(p.client_id));
      }
      if (p.grant_type === 'refresh_token') {
        const held = refresh.get(p.refresh_token);
        if (!held || held.revoked || held.clientId !== p.client_id) return json(res, 400, { error: 'invalid_grant', error_description: 'the refresh token was revoked' });
        held.revoked = true; // rotated
        return json(res, 200, tokens(p.client_id));
      }
      return json(res, 400, { error: 'unsupported_grant_type' });
    }
    json(res, 404, { error: 'not_found' });
  }, authHost);
  const issuer = `http://${authHost}:${auth.address().port}`;

  function tokens(clientId) {
    const pair = { access_token: token('at'), refresh_token: token('rt'), token_type: 'Bearer', expires_in: state.accessSeconds, scope: 'mcp' };
    access.set(pair.access_token, { expiresAt: Date.now() + state.accessSeconds * 1000, revoked: false });
    refresh.set(pair.refresh_token, { clientId, revoked: false });
    issued.push(pair.access_token, pair.refresh_token);
    secrets.push(pair.access_token, pair.refresh_token);
    return pair;
  }

  const allTools = [{
    name: 'echo',
    description: 'Returns its text.',
    inputSchema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] },
    call: (args) => `remote echo: ${args.text}`,
  }, {
    name: 'confirm',
    description: 'Asks the user where to deploy, then says what it was told.',
    inputSchema: { type: 'object', properties: { what: { type: 'string' } } },
    elicit: (args) => ({ message: `Deploy ${args.what ?? 'the build'}?`, requestedSchema: confirmSchema }),
    answered: (answer) => answer.action === 'accept'
      ? `deploying with ${JSON.stringify(answer.content ?? {})}`
      : `not deployed: the user chose ${answer.action}`,
  }];
  const tools = allTools.filter((t) => confirmTool || !t.elicit);
  // Tool calls waiting for the user: elicitation id → the tool call's open event stream.
  const waiting = new Map();
  let elicitations = 0;
  // What an echoing server appends to its resources' and prompts' texts: the token in every form it might take.
  const echoed = (bearer) => echoToken
    ? ` (signed in as ${bearer}; link ?token=${encodeURIComponent(bearer)}; ${Buffer.from(bearer).toString('base64')}; ${JSON.stringify({ bearer }).replaceAll('/', '\\/')})`
    : '';
  const event = (res, message) => res.write(`event: message\ndata: ${JSON.stringify({ jsonrpc: '2.0', ...message })}\n\n`);

  const mcp = await listen((req, res, body) => {
    const url = new URL(req.url, base);
    if (req.method === 'GET' && url.pathname.startsWith('/.well-known/oauth-protected-resource')) {
      return json(res, 200, { resource: endpoint, authorization_servers: [issuer], scopes_supported: ['mcp'], bearer_methods_supported: ['header'] });
    }
    if (url.pathname !== '/mcp') return json(res, 404, { error: 'not_found' });
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const live = bearer && (bearer === staticToken ? { expiresAt: Infinity } : access.get(bearer));
    if (!live || live.revoked || live.expiresAt <= Date.now()) {
      seen.unauthorized++;
      return json(res, 401, { error: 'invalid_token' }, {
        'www-authenticate': `Bearer error="invalid_token", resource_metadata="${base}/.well-known/oauth-protected-resource/mcp"`,
      });
    }
    if (req.method === 'GET') { res.writeHead(405, { allow: 'POST, DELETE' }); res.end(); return; }
    if (req.method === 'DELETE') { res.writeHead(200); res.end(); return; }
    const message = JSON.parse(body);
    if (message.method === undefined && message.id !== undefined) {
      // The client's answer to an elicitation: the waiting tool call ends on its own stream.
      res.writeHead(202); res.end();
      const call = waiting.get(message.id);
      if (!call) return;
      waiting.delete(message.id);
      const answer = message.result ?? { action: 'cancel' };
      seen.elicitations.push(answer);
      event(call.res, { id: call.id, result: { content: [{ type: 'text', text: call.tool.answered(answer) }] } });
      call.res.end();
      return;
    }
    if (message.id === undefined) { res.writeHead(202); res.end(); return; }
    if (hostile.mcp?.(message, res)) return;
    const reply = (result) => json(res, 200, { jsonrpc: '2.0', id: message.id, result }, { 'mcp-session-id': 'loopback-session' });
    const fail = (code, text) => json(res, 200, { jsonrpc: '2.0', id: message.id, error: { code, message: text } });
    switch (message.method) {
      case 'initialize':
        seen.clientCapabilities = message.params.capabilities ?? {};
        return reply({ protocolVersion: message.params.protocolVersion, capabilities: { tools: {}, resources: {}, prompts: {} }, serverInfo: { name: 'loopback-remote', version: '1.0.0' } });
      case 'ping': return reply({});
      case 'tools/list': return reply({ tools: tools.map((t) => ({ name: t.name, description: echoToken ? `${t.description} Signed in as ${bearer}.` : t.description, inputSchema: t.inputSchema })) });
      case 'tools/call': {
        const tool = tools.find((t) => t.name === message.params.name);
        seen.calls.push({ tool: message.params.name, token: bearer });
        if (tool?.elicit) {
          if (!seen.clientCapabilities?.elicitation) return reply({ content: [{ type: 'text', text: 'this client cannot ask its user' }], isError: true });
          const id = `elicit-${++elicitations}`;
          waiting.set(id, { res, id: message.id, tool });
          res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', 'mcp-session-id': 'loopback-session' });
          event(res, { id, method: 'elicitation/create', params: tool.elicit(message.params.arguments ?? {}) });
          return;
        }
        return reply(tool
          ? { content: [{ type: 'text', text: tool.call(message.params.arguments ?? {}) + (echoToken ? ` (token ${bearer}; Basic ${Buffer.from(`plue:${bearer}`).toString('base64')}; ${JSON.stringify({ bearer })})` : '') }] }
          : { content: [{ type: 'text', text: `unknown tool ${message.params.name}` }], isError: true });
      }
      case 'resources/list':
        return reply({ resources: loopbackResources.map((r) => ({ uri: r.uri, name: r.name, title: r.title, mimeType: r.mimeType, ...(echoToken ? { description: `A note${echoed(bearer)}` } : {}) })) });
      case 'resources/read': {
        const resource = loopbackResources.find((r) => r.uri === message.params.uri);
        seen.reads.push(message.params.uri);
        return resource
          ? reply({ contents: [{ uri: resource.uri, mimeType: resource.mimeType, text: resource.text + echoed(bearer) }] })
          : fail(-32002, `Resource not found: ${message.params.uri}`);
      }
      case 'prompts/list':
        return reply({ prompts: loopbackPrompts.map((p) => ({ name: p.name, title: p.title, description: p.description + echoed(bearer), arguments: p.arguments })) });
      case 'prompts/get': {
        const prompt = loopbackPrompts.find((p) => p.name === message.params.name);
        const args = message.params.arguments ?? {};
        if (!prompt) return fail(-32602, `Unknown prompt: ${message.params.name}`);
        const missing = prompt.arguments.find((a) => a.required && !args[a.name]);
        if (missing) return fail(-32602, `Missing required argument: ${missing.name}`);
        return reply({ description: prompt.description + echoed(bearer), messages: prompt.messages(args).map((m) => ({ ...m, content: { ...m.content, text: m.content.text + echoed(bearer) } })) });
      }
      default:
        return fail(-32601, `Method not found: ${message.method}`);
    }
  });
  const base = `http://127.0.0.1:${mcp.address().port}`;
  const endpoint = `${base}/mcp`;

  return {
    url: endpoint,
    issuer,
    seen,
    issued,
    secrets,
    set accessSeconds(seconds) { state.accessSeconds = seconds; },
    /** The server stops taking the access tokens issued so far (their refresh tokens still work). */
    expireAccess() {
      for (const held of access.values()) held.expiresAt = 0;
    },
    revokeAll() {
      for (const held of access.values()) held.revoked = true;
      for (const held of refresh.values()) held.revoked = true;
    },
    close: () => Promise.all([auth, mcp].map((s) => new Promise((r) => { s.closeAllConnections(); s.close(r); }))),
  };
}

/**
 * The browser step, as a user's browser takes it: opens the sign-in page, follows its "Allow" link, and follows the
 * redirect to the client's loopback address, returning that page's status and text.
 */
export async function signInLikeABrowser(authorizationUrl) {
  const page = await fetch(authorizationUrl);
  const html = await page.text();
  const allow = /id="allow" href="([^"]+)"/.exec(html);
  if (!allow) throw new Error(`the sign-in page has no Allow link (${page.status}): ${html.slice(0, 200)}`);
  const approved = await fetch(new URL(allow[1].replaceAll('&amp;', '&'), authorizationUrl), { redirect: 'manual' });
  const location = approved.headers.get('location');
  if (approved.status !== 302 || !location) throw new Error(`the Allow link did not redirect (${approved.status}): ${await approved.text()}`);
  const back = await fetch(location);
  return { status: back.status, text: await back.text(), redirectedTo: location };
}
