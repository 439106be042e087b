// The integration suite's coverage summary: a V8 file another process was still writing when the suite ended is
// skipped, and the bundle's own coverage is still kept (one cut file used to end the summary with a SyntaxError).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { keepBundle } from '../../scripts/lib/extensionCoverage.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

test('a cut V8 coverage file is skipped and the bundle\'s coverage kept', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plue-cov-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const bundle = pathToFileURL(path.join(repoRoot, 'out/test/host/extension.js')).href;
  fs.mkdirSync(path.join(dir, 'raw'));
  fs.writeFileSync(path.join(dir, 'raw/host.json'), JSON.stringify({ result: [{ url: bundle, functions: [] }, { url: 'node:internal/x', functions: [] }] }));
  fs.writeFileSync(path.join(dir, 'raw/other.json'), JSON.stringify({ result: [{ url: 'node:internal/y', functions: [] }] }));
  fs.writeFileSync(path.join(dir, 'raw/cut.json'), '{"result":[{"url":"node:internal/per_context/primordials","functions":[{"functionName":"","ran');

  assert.equal(keepBundle(path.join(dir, 'raw'), path.join(dir, 'kept')), 1);
  assert.deepEqual(fs.readdirSync(path.join(dir, 'kept')), ['host.json']);
  assert.deepEqual(JSON.parse(fs.readFileSync(path.join(dir, 'kept/host.json'), 'utf8')).result.map((s) => s.url), [bundle]);
});
