// Each golden exchange in tests/fixtures/protocol, sent by vscode-jsonrpc to the real sidecar process.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { ResponseError } = require('vscode-jsonrpc/node');
const { startSidecar, root } = require('./support/sidecar');
const { mismatch } = require('./support/jsonShape');

const dir = path.join(root, 'tests', 'fixtures', 'protocol');

async function call(connection, { method, params }) {
  try {
    return { result: params === undefined ? await connection.sendRequest(method) : await connection.sendRequest(method, params) };
  } catch (e) {
    if (!(e instanceof ResponseError)) throw e;
    const error = { code: e.code, message: e.message };
    if (e.data !== undefined) error.data = e.data;
    return { error };
  }
}

for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
  test(`fixture ${file}`, async (t) => {
    const s = startSidecar();
    t.after(() => s.stop());
    const fixture = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8').replaceAll('<home>', s.home));
    // "homeFiles" ({name: base64}) are written into PLUE_HOME first, e.g. a vault made with another key.
    fs.mkdirSync(s.home, { recursive: true });
    for (const [name, content] of Object.entries(fixture.homeFiles ?? {})) fs.writeFileSync(path.join(s.home, name), Buffer.from(content, 'base64'));
    if (fixture.initialized !== false) await s.initialize(fixture.initializationOptions ?? {});

    // Setup requests run first; "<setupN.member>" (in the request or a later setup) stands for a member of setup N's result.
    const results = [];
    const resolve = (message) => JSON.parse(JSON.stringify(message).replace(/<setup(\d+)\.(\w+)>/g, (_, n, member) => results[Number(n)][member]));
    for (const setup of fixture.setup ?? []) {
      const answer = await call(s.connection, resolve(setup));
      assert.ok(answer.result !== undefined, `setup failed: ${JSON.stringify(answer)}`);
      results.push(answer.result);
    }
    const request = resolve(fixture.request);
    // vscode-jsonrpc assigns its own ids; the fixture's id stands for "the id of this request".
    const answer = { jsonrpc: '2.0', id: fixture.request.id, ...(await call(s.connection, request)) };
    assert.equal(mismatch(fixture.response, answer), null, JSON.stringify(answer));
  });
}
