// The calls "Test Provider Instance" makes to cloud providers, on one loopback server, each answered only with the
// credential it expects, as the real service checks it: Gemini's model list (/gemini, x-goog-api-key), Azure
// OpenAI's (/azure, api-key, api-version), Anthropic's (/anthropic, Authorization: Bearer for an auth token) and
// Google's OAuth token endpoint (/token), which verifies the service account's RS256-signed JWT.
import * as crypto from 'node:crypto';
import * as http from 'node:http';

/** `keys`: the credential each route accepts; `publicKey`: the service account's, for /token. */
export async function startFakeCloudProviders({ keys, publicKey }) {
  const requests = [];
  const routes = {
    'GET /gemini/v1beta/models': (req) => req.headers['x-goog-api-key'] === keys.gemini
      && { models: [{ name: 'models/gemini-e2e', displayName: 'Gemini E2E', inputTokenLimit: 1048576, supportedGenerationMethods: ['generateContent'] }] },
    'GET /azure/openai/models': (req, url) => req.headers['api-key'] === keys.azure && url.searchParams.get('api-version') === '2024-10-21'
      && { data: [{ id: 'gpt-5', object: 'model' }] },
    'GET /anthropic/v1/models': (req) => req.headers.authorization === `Bearer ${keys.anthropic}` && !req.headers['x-api-key']
      && { data: [{ type: 'model', id: 'claude-e2e', display_name: 'Claude E2E' }], has_more: false },
    'POST /token': (req, url, body) => validAssertion(new URLSearchParams(body), publicKey)
      && { access_token: 'ya29.e2e-access-token', expires_in: 3600, token_type: 'Bearer' },
  };
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => {
      const url = new URL(req.url, 'http://127.0.0.1');
      requests.push({ method: req.method, path: url.pathname, headers: req.headers });
      const route = routes[`${req.method} ${url.pathname.replace(/\/$/, '')}`];
      const answer = route?.(req, url, body);
      res.writeHead(answer ? 200 : route ? 401 : 404, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer || { error: { code: route ? 401 : 404, message: route ? 'credential refused' : 'no such route' } }));
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}`, requests, close: () => server.close() };
}

/** A JWT-bearer grant whose assertion the service account's key signed (RS256), for the cloud-platform scope. */
function validAssertion(form, publicKey) {
  if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer') return false;
  const [header, claims, signature] = (form.get('assertion') ?? '').split('.');
  if (!signature) return false;
  const signed = crypto.verify('RSA-SHA256', Buffer.from(`${header}.${claims}`), publicKey, Buffer.from(signature, 'base64url'));
  return signed && JSON.parse(Buffer.from(claims, 'base64url').toString()).scope === 'https://www.googleapis.com/auth/cloud-platform';
}
