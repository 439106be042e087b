// A loopback OpenAI-compatible provider for the UI tests: GET /v1/models and a streaming
// POST /v1/chat/completions in the exact wire format, one delta every `gapMs`. Each reply is
// the next of `replies` (the last repeats). Requests are kept so tests can check what was sent.
import * as http from 'node:http';

export async function startFakeOpenAI({ replies, gapMs = 40, models = ['loop-1', 'loop-2'] }) {
  const requests = [];
  let served = 0;
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', async () => {
      requests.push({ method: req.method, url: req.url, auth: req.headers.authorization, body: body ? JSON.parse(body) : null });
      if (req.method === 'GET' && req.url === '/v1/models') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ object: 'list', data: models.map((id) => ({ id, object: 'model', created: 1, owned_by: 'loopback' })) }));
        return;
      }
      if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
        res.writeHead(404).end();
        return;
      }
      const reply = replies[Math.min(served++, replies.length - 1)];
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const chunk = (delta, finish = null) => `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', model: 'loop-1', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
      for (const piece of reply.match(/[^ ]+ ?|\n/g) ?? []) {
        if (res.destroyed) return;
        res.write(chunk({ content: piece }));
        await new Promise((r) => setTimeout(r, gapMs));
      }
      res.write(chunk({}, 'stop'));
      res.write(`data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', choices: [], usage: { prompt_tokens: 120, completion_tokens: 45, total_tokens: 165 } })}\n\n`);
      res.end('data: [DONE]\n\n');
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${server.address().port}/v1`,
    requests,
    chats: () => requests.filter((r) => r.url === '/v1/chat/completions'),
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
