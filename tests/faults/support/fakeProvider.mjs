// A loopback provider speaking the exact wire formats (OpenAI-compatible SSE, Anthropic SSE, Ollama NDJSON) that a
// test scripts per request: it can answer well, hang, stall, cut, send junk, one huge line or a huge error body.
import http from 'node:http';

/** The instance each wire format needs: catalog provider and where its endpoint points. */
export const formats = {
  openai: { catalogProviderId: 'openai', endpoint: (base) => `${base}/v1`, model: 'gpt-fault' },
  anthropic: { catalogProviderId: 'anthropic', endpoint: (base) => base, model: 'claude-fault' },
  ollama: { catalogProviderId: 'ollama', endpoint: (base) => base, model: 'llama-fault' },
};

/** One text chunk in a format's own framing (a whole SSE event or NDJSON line). */
export function textChunk(format, text) {
  switch (format) {
    case 'openai': return `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content: text }, finish_reason: null }] })}\n\n`;
    case 'anthropic': return `event: content_block_delta\ndata: ${JSON.stringify({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } })}\n\n`;
    default: return `${JSON.stringify({ model: 'llama-fault', message: { role: 'assistant', content: text }, done: false })}\n`;
  }
}

/** What opens an answer before its first text chunk. */
export function opening(format) {
  if (format !== 'anthropic') return '';
  return `event: message_start\ndata: ${JSON.stringify({ type: 'message_start', message: { id: 'msg_1', model: 'claude-fault', usage: { input_tokens: 3, output_tokens: 0 } } })}\n\n`
    + `event: content_block_start\ndata: ${JSON.stringify({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } })}\n\n`;
}

/** What ends an answer well. */
export function closing(format) {
  switch (format) {
    case 'openai': return `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}\n\ndata: [DONE]\n\n`;
    case 'anthropic': return `event: content_block_stop\ndata: {"type":"content_block_stop","index":0}\n\n`
      + `event: message_delta\ndata: ${JSON.stringify({ type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 2 } })}\n\n`
      + 'event: message_stop\ndata: {"type":"message_stop"}\n\n';
    default: return `${JSON.stringify({ model: 'llama-fault', message: { role: 'assistant', content: '' }, done: true, done_reason: 'stop', prompt_eval_count: 3, eval_count: 2 })}\n`;
  }
}

/** A whole good answer of `words`, as one string in the format's framing. */
export function answer(format, words) {
  return opening(format) + words.map((w) => textChunk(format, w)).join('') + closing(format);
}

/** Writes `text` and waits for the socket to take it (backpressure), so huge bodies never pile up in the test. */
export function send(res, text) {
  return new Promise((resolve) => {
    if (res.destroyed) return resolve(false);
    if (res.write(text)) return resolve(true);
    const done = () => { res.off('drain', done); res.off('close', done); resolve(!res.destroyed); };
    res.once('drain', done);
    res.once('close', done);
  });
}

/** Writes `before`, then `bytes` of filler (never held whole), then `after`; stops early when the reader goes away. */
export async function sendHuge(res, before, bytes, after = '') {
  if (!await send(res, before)) return false;
  const block = 'x'.repeat(1024 * 1024);
  for (let sent = 0; sent < bytes; sent += block.length) {
    if (!await send(res, bytes - sent >= block.length ? block : block.slice(0, bytes - sent))) return false;
  }
  return send(res, after);
}

/**
 * Starts the fake on 127.0.0.1; `script(format, req, res)` answers each chat request (its format told by the path),
 * Ollama's /api/show is answered for it. Closed when the test ends, cutting any stream still open.
 */
export async function startFakeProvider(t, script) {
  const requests = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', async () => {
      if (req.url === '/api/show') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ model_info: { 'general.architecture': 'llama', 'llama.context_length': 8192 } }));
        return;
      }
      const format = req.url.endsWith('/chat/completions') ? 'openai' : req.url.endsWith('/v1/messages') ? 'anthropic' : req.url === '/api/chat' ? 'ollama' : null;
      requests.push({ format, url: req.url, body });
      if (!format) { res.writeHead(404).end(); return; }
      try {
        await script(format, req, res);
      } catch {
        res.destroy();
      }
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => { server.closeAllConnections(); server.close(); });
  const base = `http://127.0.0.1:${server.address().port}`;
  return { base, requests };
}

/** Starts a stream's response with the format's content type. */
export function streamHead(res, format) {
  res.writeHead(200, { 'content-type': format === 'ollama' ? 'application/x-ndjson' : 'text/event-stream' });
}

/** Creates an instance of `format` on the fake and a chat on it; returns the chat. */
export async function chatOn(sidecar, fake, format) {
  const f = formats[format];
  const instance = await sidecar.request('instances/create', {
    displayName: `Fault ${format}`, catalogProviderId: f.catalogProviderId, endpoint: f.endpoint(fake.base), apiKey: `sk-fault-${format}-0123456789`,
  });
  return sidecar.request('session/create', { instanceId: instance.id, modelId: f.model });
}
