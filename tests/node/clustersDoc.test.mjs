// docs/CLUSTERS.md, read by users: the cluster contract mapped onto Kubernetes Indexed Jobs and GitHub Actions runners,
// plain about what is built and what is still to come, reached from the container docs and the README, and pointing
// nowhere outside the repository (docLinks.test.js checks its relative links resolve).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import test from 'node:test';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const read = (file) => fs.readFileSync(path.join(root, file), 'utf8');

test('item 8: docs/CLUSTERS.md maps the contract onto Indexed Jobs and Actions runners, says what is still to come, and points nowhere outside', () => {
  const doc = read('docs/CLUSTERS.md');

  for (const term of ['Indexed', 'parallelism', 'backoffLimitPerIndex', 'podFailurePolicy', 'activeDeadlineSeconds',
    'ttlSecondsAfterFinished', 'Secret', 'pod logs', 'GitHub Actions', 'What testing them would need']) {
    assert.ok(doc.includes(term), `CLUSTERS.md names ${term}`);
  }
  assert.match(doc, /still to come/);
  assert.match(doc, /the cluster holds your key/i);
  assert.match(doc, /restart-condition none/);
  assert.doesNotMatch(doc, /\b(?:https?|ftp):\/\//, 'no address outside the repository');
  assert.doesNotMatch(doc, /\]\((?!#)(?:\/|\.\.\/\.\.)/, 'no link by an absolute path or out of the repository');
  assert.match(read('docs/CONTAINERS.md'), /\[CLUSTERS\.md\]\(CLUSTERS\.md\)/);
  assert.match(read('README.md'), /CLUSTERS\.md/);
});
