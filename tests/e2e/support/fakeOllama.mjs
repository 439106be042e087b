// A loopback Ollama for the UI tests, in its native API's exact wire format (docs/PROVIDERS.md): GET /api/version and
// /api/tags (what Add Provider's search and an instance's test read), POST /api/show (a model's context length and
// capabilities) and a streaming POST /api/chat (NDJSON), each chat answered `reply` a word at a time. Requests are kept
// so tests can check what was sent.
import * as http from 'node:http';

export async function startFakeOllama({ models = ['qwen3:8b', 'llama3.2:latest'], reply = 'Hello from the local model.' } = {}) {
  const requests = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', async () => {
      const parsed = body ? JSON.parse(body) : null;
      requests.push({ method: req.method, url: req.url, body: parsed });
      const json = (status, value) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
      if (req.method === 'GET' && req.url === '/api/version') return json(200, { version: '0.12.6' });
      if (req.method === 'GET' && req.url === '/api/tags') {
        return json(200, { models: models.map((name) => ({ name, model: name, modified_at: '2025-01-01T00:00:00Z', size: 1000, digest: 'abc', details: { family: 'llama', parameter_size: '8B', quantization_level: 'Q4_K_M' } })) });
      }
      if (req.method === 'POST' && req.url === '/api/show') {
        return models.includes(parsed?.model)
          ? json(200, { model_info: { 'general.architecture': 'llama', 'llama.context_length': 32768 }, capabilities: ['completion', 'tools'] })
          : json(404, { error: `model '${parsed?.model}' not found` });
      }
      if (req.method !== 'POST' || req.url !== '/api/chat') return json(404, { error: 'not found' });
      res.writeHead(200, { 'content-type': 'application/x-ndjson' });
      const line = (message, done, extra = {}) => res.write(`${JSON.stringify({ model: parsed.model, created_at: '2025-01-01T00:00:00Z', message: { role: 'assistant', content: message }, done, ...extra })}\n`);
      for (const piece of reply.match(/\S+\s*/g) ?? []) {
        line(piece, false);
        await new Promise((r) => setTimeout(r, 20));
      }
      line('', true, { done_reason: 'stop', prompt_eval_count: 20, eval_count: 7 });
      res.end();
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: server.address().port,
    requests,
    chats: () => requests.filter((r) => r.url === '/api/chat'),
    close: () => new Promise((resolve) => { server.closeAllConnections?.(); server.close(resolve); }),
  };
}
