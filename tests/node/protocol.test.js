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

for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
  test(`fixture ${file}`, async (t) => {
    const s = startSidecar();
    t.after(() => s.stop());
    const fixture = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8').replaceAll('<home>', s.home));
    if (fixture.initialized !== false) await s.initialize();

    const { id, method, params } = fixture.request;
    let answer;
    try {
      const result = params === undefined ? await s.connection.sendRequest(method) : await s.connection.sendRequest(method, params);
      answer = { jsonrpc: '2.0', id, result };
    } catch (e) {
      if (!(e instanceof ResponseError)) throw e;
      answer = { jsonrpc: '2.0', id, error: { code: e.code, message: e.message } };
    }
    // vscode-jsonrpc assigns its own ids; the fixture's id stands for "the id of this request".
    assert.equal(mismatch(fixture.response, answer), null, JSON.stringify(answer));
  });
}
