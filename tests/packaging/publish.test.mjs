// scripts/lib/publish.sh's pieces, run by bash with `set -euo pipefail` as package.sh and bench.sh run them.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function pruneRuntimes(folders) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plue-runtimes-'));
  for (const folder of folders) fs.mkdirSync(path.join(dir, folder, 'native'), { recursive: true });
  const run = spawnSync('bash', ['-c', 'set -euo pipefail; source scripts/lib/publish.sh; prune_runtimes "$1"', 'bash', dir], { cwd: repo, encoding: 'utf8' });
  const left = fs.readdirSync(dir).sort();
  fs.rmSync(dir, { recursive: true, force: true });
  return { status: run.status, stderr: run.stderr, left };
}

test('the universal sidecar keeps the SQLite libraries of the platforms VS Code runs on and drops the rest', () => {
  const { status, stderr, left } = pruneRuntimes(['android-arm64', 'ios-arm64', 'linux-s390x', 'linux-x64', 'linux-arm', 'linux-musl-x64', 'osx-arm64', 'win', 'win-x64']);
  assert.equal(status, 0, stderr);
  assert.deepEqual(left, ['linux-arm', 'linux-musl-x64', 'linux-x64', 'osx-arm64', 'win', 'win-x64']);
});

test('pruning a cached publish, with nothing left to drop, succeeds (a second npm run package stopped there)', () => {
  const { status, stderr, left } = pruneRuntimes(['linux-x64', 'win-x64', 'osx-arm64']);
  assert.equal(status, 0, `prune_runtimes failed on a pruned folder: ${stderr}`);
  assert.deepEqual(left, ['linux-x64', 'osx-arm64', 'win-x64']);
});

test('a platform sidecar drops the runtime\'s debugger, dump, trace and spare GC files and keeps what runs', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plue-debugging-'));
  const kept = ['plue.exe', 'plue.dll', 'coreclr.dll', 'clrjit.dll', 'mscorrc.dll', 'clretwrc.dll', 'e_sqlite3.dll', 'libcoreclr.so', 'libclrjit.so', 'libcoreclr.dylib'];
  const pruned = ['mscordaccore.dll', 'mscordaccore_amd64_amd64_10.0.1226.42308.dll', 'mscordbi.dll', 'Microsoft.DiaSymReader.Native.amd64.dll',
    'clrgc.dll', 'clrgcexp.dll', 'libmscordaccore.so', 'libmscordbi.so', 'libclrgc.so', 'libclrgcexp.so', 'libmscordaccore.dylib', 'libclrgc.dylib', 'libcoreclrtraceptprovider.so'];
  for (const file of [...kept, ...pruned]) fs.writeFileSync(path.join(dir, file), '');
  const run = (folder) => spawnSync('bash', ['-c', 'set -euo pipefail; source scripts/lib/publish.sh; prune_diagnostics "$1"', 'bash', folder], { cwd: repo, encoding: 'utf8' });
  const first = run(dir);
  const again = run(dir);
  const left = fs.readdirSync(dir).sort();
  fs.rmSync(dir, { recursive: true, force: true });
  assert.equal(first.status, 0, first.stderr);
  assert.equal(again.status, 0, `pruning a pruned publish failed: ${again.stderr}`);
  assert.deepEqual(left, [...kept].sort());
});
