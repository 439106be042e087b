// A loopback OpenAI-compatible provider for the UI tests: GET /v1/models and a streaming
// POST /v1/chat/completions in the exact wire format. Each chat request gets a reply:
// `respond(body, index)` when given (agents' requests arrive in parallel, so a script
// answers by what the request holds), else the next of `replies` (the last repeats).
// A reply is {reasoning?, text?, toolCalls?: [{id?, name, arguments}], gapMs?, usage?, before?}:
// text streamed a word at a time, then tool calls (finish_reason "tool_calls"), then usage.
// `before` is a promise awaited first (a test holds a reply back with it).
// `authorize(authorizationHeader)`, when given, decides each request: false answers 401 with OpenAI's error body
// (a wrong key), so a test can fail an instance's test and then mend it.
// A chat's title request (the sidecar asks a priced model for one after a chat's first answer) is told apart by its
// instructions: it is answered by `title(question)` (by default the question's first six words, so a chat keeps
// the name its first question gave it) and is not one of `replies`; `titles()` lists them, `chats()` leaves them out.
// Requests are kept so tests can check what was sent.
import * as http from 'node:http';

/** `text` cut into the pieces streamed a word at a time: joined, they are `text` exactly (indentation included). */
export function streamPieces(text) {
  return text.match(/ *[^ \n]+ ?| +|\n/g) ?? [];
}

/** Whether a request is the sidecar's ask for a chat title (ChatTitles' instructions). */
const isTitleRequest = (body) => /^Write a title of at most/.test(String(body?.messages?.[0]?.role === 'system' ? body.messages[0].content : ''));

/** The question a title request carries: its conversation's first "User:" line. */
const titledQuestion = (body) => (String(body.messages.at(-1)?.content ?? '').match(/^User: (.*)$/m)?.[1] ?? '');

export async function startFakeOpenAI({ replies = [], respond, title = (question) => question.split(/\s+/).slice(0, 6).join(' '), models = ['loop-1'], usage = { prompt_tokens: 12000, completion_tokens: 4000 }, authorize, host = '127.0.0.1' }) {
  const requests = [];
  let served = 0;
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', async () => {
      const parsed = body ? JSON.parse(body) : null;
      requests.push({ method: req.method, url: req.url, auth: req.headers.authorization, body: parsed });
      if (authorize && !authorize(req.headers.authorization)) {
        res.writeHead(401, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: 'Incorrect API key provided.', type: 'invalid_request_error', param: null, code: 'invalid_api_key' } }));
        return;
      }
      if (req.method === 'GET' && req.url === '/v1/models') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ object: 'list', data: models.map((id) => ({ id, object: 'model', created: 1, owned_by: 'loopback' })) }));
        return;
      }
      if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
        res.writeHead(404).end();
        return;
      }
      const titling = isTitleRequest(parsed);
      const index = titling ? -1 : served++;
      const reply = titling ? { text: title(titledQuestion(parsed)), gapMs: 0, usage: { prompt_tokens: 200, completion_tokens: 8 } }
        : respond ? await respond(parsed, index) : replies[Math.min(index, replies.length - 1)];
      if (reply.before) await reply.before;
      const gap = reply.gapMs ?? 30;
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const chunk = (delta, finish = null) => `data: ${JSON.stringify({ id: `c${index}`, object: 'chat.completion.chunk', model: 'loop-1', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
      for (const [field, text] of [['reasoning', reply.reasoning ?? ''], ['content', reply.text ?? '']]) {
        for (const piece of streamPieces(text)) {
          if (res.destroyed) return;
          res.write(chunk({ [field]: piece }));
          await new Promise((r) => setTimeout(r, gap));
        }
      }
      const calls = reply.toolCalls ?? [];
      calls.forEach((call, i) => {
        const args = typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments ?? {});
        res.write(chunk({ tool_calls: [{ index: i, id: call.id ?? `call_${index}_${i}`, type: 'function', function: { name: call.name, arguments: args } }] }));
      });
      res.write(chunk({}, calls.length ? 'tool_calls' : 'stop'));
      const u = reply.usage ?? usage;
      res.write(`data: ${JSON.stringify({ id: `c${index}`, object: 'chat.completion.chunk', choices: [], usage: { ...u, total_tokens: u.prompt_tokens + u.completion_tokens } })}\n\n`);
      res.end('data: [DONE]\n\n');
    });
  });
  await new Promise((resolve) => server.listen(0, host, resolve));
  return {
    endpoint: `http://${host}:${server.address().port}/v1`,
    requests,
    chats: () => requests.filter((r) => r.url === '/v1/chat/completions' && !isTitleRequest(r.body)),
    titles: () => requests.filter((r) => r.url === '/v1/chat/completions' && isTitleRequest(r.body)),
    close: () => new Promise((resolve) => { server.closeAllConnections?.(); server.close(resolve); }),
  };
}
