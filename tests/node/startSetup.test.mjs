// Issue 68 item 1, "a start that respects the user's time": `npm start`'s set-up (scripts/lib/setup.sh, plue_setup with
// no argument) does only what running needs — node_modules, the run tools (install-tools.sh without `test`) and this
// platform's VSIX — and none of the suites' steps (the test tools, the claude CLI, the whole build, the universal VSIX,
// the test bundles, the lint); and a long step shows a progress line while it runs and its time when done. The real
// setup.sh in a copy of the repository whose scripts only record how they were called.
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const repo = path.resolve(import.meta.dirname, '../..');

function copyWithRecordingScripts(t) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plue-start-setup-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  fs.mkdirSync(path.join(dir, 'scripts/lib'), { recursive: true });
  fs.copyFileSync(path.join(repo, 'scripts/lib/setup.sh'), path.join(dir, 'scripts/lib/setup.sh'));
  fs.writeFileSync(path.join(dir, 'package-lock.json'), '{}\n');
  // node_modules installed from this lock file: npm ci is skipped, as on a second start.
  fs.mkdirSync(path.join(dir, 'node_modules'));
  const hash = execFileSync('sha256sum', [path.join(dir, 'package-lock.json')], { encoding: 'utf8' }).split(' ')[0];
  fs.writeFileSync(path.join(dir, 'node_modules/.plue-lock-hash'), `${hash}\n`);
  for (const script of ['install-tools.sh', 'package.sh']) {
    fs.writeFileSync(path.join(dir, 'scripts', script), `echo "${script} $*" >> calls.log\necho /tools/code-server\n`);
  }
  return dir;
}

test('item 1: npm start sets up only what running needs: the run tools and this platform\'s VSIX, no test tool, build or lint', (t) => {
  const dir = copyWithRecordingScripts(t);
  const run = spawnSync('bash', ['-c', 'source scripts/lib/setup.sh && plue_setup && echo "CODE_SERVER=$CODE_SERVER"'], { cwd: dir, encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  assert.deepEqual(fs.readFileSync(path.join(dir, 'calls.log'), 'utf8').trim().split('\n'), ['install-tools.sh ', 'package.sh --host']);
  assert.match(run.stdout, /CODE_SERVER=\/tools\/code-server/);
  assert.doesNotMatch(run.stderr, /claude CLI|dotnet build|lint|test bundles/, 'a test-only step ran in npm start');
  assert.match(run.stderr, /setup: npm run package -- --host: the sidecar \(Native AOT\) and this platform's VSIX \(first run: about 3 min/);
});

test('item 1: a step shows a progress line every 20 s while it runs, and its time when done', { timeout: 60_000 }, (t) => {
  const dir = copyWithRecordingScripts(t);
  const run = spawnSync('bash', ['-c', 'source scripts/lib/setup.sh && plue_step "a slow step" "about 1 min" sleep 21'], { cwd: dir, encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  const lines = run.stderr.trim().split('\n');
  assert.equal(lines[0], 'setup: a slow step (first run: about 1 min)');
  assert.match(lines[1], /^setup: {3}a slow step: 2\d s so far \(first run: about 1 min\)$/);
  assert.match(lines.at(-1), /^setup: {3}a slow step: done in 2\d s$/);
});
