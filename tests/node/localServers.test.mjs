// Add Provider's search for local servers (extension/src/providers/localServers.ts, which uses node:http alone), bundled
// as the extension is and run against real loopback servers: what answers as Ollama or OpenAI-compatible is offered,
// named by what it answers; a web page, an error, JSON of another shape, a closed port or a silent server is not.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildSync } from 'esbuild';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bundle = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'plue-local-servers-')), 'localServers.mjs');
buildSync({ entryPoints: [path.join(repoRoot, 'extension/src/providers/localServers.ts')], bundle: true, platform: 'node', format: 'esm', outfile: bundle, logLevel: 'error' });
const { findLocalServers } = await import(pathToFileURL(bundle).href);

/** A loopback server answering `routes` (path → status and body); any other path is a 404. */
async function serve(routes) {
  const server = http.createServer((request, response) => {
    const [status, body] = routes[request.url ?? ''] ?? [404, 'not found'];
    response.writeHead(status, { 'content-type': body.startsWith('<') ? 'text/html' : 'application/json' }).end(body);
  });
  await new Promise(resolve => server.listen(0, '127.0.0.1', resolve));
  return server;
}

const portOf = server => server.address().port;

describe('Plue local servers', () => {
  const servers = [];

  after(() => {
    delete process.env.PLUE_LOCAL_SERVER_PORTS;
    for (const server of servers) {
      server.close();
    }
  });

  test('Add Provider offers the servers that answer as Ollama or OpenAI-compatible, named by what they answer, and nothing else', async () => {
    const ollama = await serve({ '/api/version': [200, '{"version":"0.12.3"}'], '/api/tags': [200, '{"models":[{"name":"qwen3:8b"},{"name":"llama3.2:3b"}]}'] });
    const llamaCpp = await serve({ '/v1/models': [200, '{"object":"list","data":[{"id":"gemma-3","object":"model","owned_by":"llamacpp"}]}'] });
    const unnamed = await serve({ '/v1/models': [200, '{"object":"list","data":[{"id":"a"},{"id":"b"},{"id":"c"}]}'] });
    // Bad answers are not offered: a web app's page, an error, JSON of another shape, and Ollama's path on an OpenAI port.
    const webApp = await serve({ '/v1/models': [200, '<html>code-server</html>'], '/api/version': [200, '<html></html>'] });
    const failing = await serve({ '/v1/models': [500, '{"data":[]}'] });
    const otherJson = await serve({ '/v1/models': [200, '{"models":[]}'], '/api/version': [200, '{"version":3}'] });
    servers.push(ollama, llamaCpp, unnamed, webApp, failing, otherJson);
    const closed = await serve({});
    const closedPort = portOf(closed);
    await new Promise(resolve => closed.close(resolve));

    process.env.PLUE_LOCAL_SERVER_PORTS = [
      `ollama:${portOf(ollama)}`, `openai:${portOf(llamaCpp)}`, `openai:${portOf(unnamed)}`, `openai:${portOf(webApp)}`, `ollama:${portOf(webApp)}`,
      `openai:${portOf(failing)}`, `openai:${portOf(otherJson)}`, `ollama:${portOf(otherJson)}`, `openai:${closedPort}`, `openai:${portOf(ollama)}`,
      'nonsense', 'ollama:not-a-port',
    ].join(',');
    const found = await findLocalServers();

    assert.deepEqual(found, [
      { name: 'Ollama', catalogProviderId: 'ollama', endpoint: `http://127.0.0.1:${portOf(ollama)}`, modelCount: 2 },
      { name: 'llama.cpp', catalogProviderId: 'openai-compatible', endpoint: `http://127.0.0.1:${portOf(llamaCpp)}/v1`, modelCount: 1 },
      { name: 'OpenAI-compatible server', catalogProviderId: 'openai-compatible', endpoint: `http://127.0.0.1:${portOf(unnamed)}/v1`, modelCount: 3 },
    ]);
  });

  test('a server that never answers is given up after the timeout, not waited for', async () => {
    const silent = http.createServer(() => { /* never answers */ });
    await new Promise(resolve => silent.listen(0, '127.0.0.1', resolve));
    servers.push(silent);
    process.env.PLUE_LOCAL_SERVER_PORTS = `ollama:${portOf(silent)}`;
    assert.deepEqual(await findLocalServers(200), []);
    silent.closeAllConnections();
  });
});
