// Checks every VSIX in artifacts/ (npm run package: plue-vscode.vsix; npm run package:all: plue-vscode-<target>.vsix),
// or in PLUE_ARTIFACTS (scripts/release.sh validate: the files a release publishes),
// for its platform, as its manifest names it: the sidecar and the native SQLite library of that platform and of no
// other, the bundle and the listing, and nothing of the sources (no tests, maps, pdbs, TypeScript). Prints each size
// against its budget.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const artifacts = path.resolve(process.env.PLUE_ARTIFACTS ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '../../artifacts'));
const vsixes = fs.existsSync(artifacts) ? fs.readdirSync(artifacts).filter(f => /^plue-vscode.*\.vsix$/.test(f)) : [];

/**
 * Size budgets (MB). The linux-x64 VSIX carries the Native AOT sidecar (one executable, no runtime); a platform VSIX
 * built elsewhere carries the trimmed .NET runtime compiled composite with the sidecar. 24.7 is what the composite
 * linux-x64 VSIX weighed: Native AOT must not make a download larger. The universal one has no runtime, only plue.dll
 * and its libraries and SQLite for each platform.
 */
const budgetMb = { platform: 24.7, universal: 12 };

/**
 * What each platform's sidecar folder must hold, and names that belong to other platforms. A Native AOT sidecar
 * (`aot`) has no runtime and no plue.dll beside it: finding either means the VSIX carries the JIT build.
 */
const platforms = {
  'linux-x64': { sidecar: 'plue', aot: true, sqlite: 'libe_sqlite3.so', foreign: /\.(exe|dylib)$|^(coreclr|clrjit)\.dll$/ },
  'linux-arm64': { sidecar: 'plue', aot: true, sqlite: 'libe_sqlite3.so', foreign: /\.(exe|dylib)$|^(coreclr|clrjit)\.dll$/ },
  'win32-x64': { sidecar: 'plue.exe', runtime: 'coreclr.dll', sqlite: 'e_sqlite3.dll', foreign: /\.so$|\.dylib$/ },
  'darwin-x64': { sidecar: 'plue', runtime: 'libcoreclr.dylib', sqlite: 'libe_sqlite3.dylib', foreign: /\.(exe|so)$|^(coreclr|clrjit)\.dll$/ },
  'darwin-arm64': { sidecar: 'plue', runtime: 'libcoreclr.dylib', sqlite: 'libe_sqlite3.dylib', foreign: /\.(exe|so)$|^(coreclr|clrjit)\.dll$/ },
};

/** The VS Code targets whose SQLite library the universal VSIX must carry (as runtimes/<rid>/native). */
const universalRids = ['linux-x64', 'linux-arm64', 'linux-arm', 'linux-musl-x64', 'linux-musl-arm64', 'win-x64', 'win-arm64', 'osx-x64', 'osx-arm64'];

function entries(file) {
  return execFileSync('unzip', ['-Z1', file], { encoding: 'utf8', maxBuffer: 64 << 20 }).split('\n').filter(Boolean);
}

function manifestTarget(file) {
  const xml = execFileSync('unzip', ['-p', file, 'extension.vsixmanifest'], { encoding: 'utf8' });
  return /TargetPlatform="([^"]+)"/.exec(xml)?.[1] ?? 'universal';
}

test('artifacts/ has a VSIX to check', () => {
  assert.ok(vsixes.length > 0, `no VSIX in ${artifacts}: run \`npm run package\` or \`npm run package:all\``);
});

for (const name of vsixes) {
  test(`${name} holds its platform's sidecar and nothing it should not`, () => {
    const file = path.join(artifacts, name);
    const target = manifestTarget(file);
    const all = entries(file);
    const sidecar = all.filter(e => e.startsWith('extension/dist/sidecar/')).map(e => e.slice('extension/dist/sidecar/'.length));
    const outside = all.filter(e => !e.startsWith('extension/dist/sidecar/'));

    for (const needed of ['extension/package.json', 'extension/out/extension.js', 'extension/out/webview/chat.js', 'extension/out/webview/settings.js', 'extension/out/webview/highlight.js', 'extension/media/icon.png',
      'extension/readme.md', 'extension/changelog.md', 'extension/LICENSE.txt']) {
      assert.ok(all.includes(needed), `${name}: ${needed} is missing`);
    }
    const stray = all.filter(e => /\.(map|pdb|ts)$/.test(e) || /(^|\/)(tests?|src|server|node_modules|obj)\//.test(e.replace(/^extension\//, '')));
    assert.deepEqual(stray, [], `${name}: sources, tests, maps or pdbs are in the VSIX`);
    assert.deepEqual(outside.filter(e => !/^(extension\.vsixmanifest|\[Content_Types\]\.xml|extension\/(package\.json|readme\.md|changelog\.md|LICENSE\.txt|out\/.+|media\/.+))$/.test(e)), [],
      `${name}: unexpected files outside the sidecar`);
    for (const shipped of ['catalog/openai.json', 'templates/', 'prompts/']) {
      assert.ok(sidecar.some(e => e.startsWith(shipped)), `${name}: the sidecar has no ${shipped}`);
    }

    const sqlite = sidecar.filter(e => /(^|\/)(lib)?e_sqlite3\.(so|dll|dylib)$/.test(e));
    if (target === 'universal') {
      assert.ok(sidecar.includes('plue.dll'), `${name}: the sidecar has no plue.dll`);
      assert.ok(!sidecar.includes('plue') && !sidecar.includes('plue.exe'), `${name}: a universal VSIX has no native executable`);
      assert.ok(!sidecar.some(e => /^(lib)?coreclr\./.test(e)), `${name}: a universal VSIX has no .NET runtime`);
      for (const rid of universalRids) {
        assert.ok(sqlite.some(e => e.startsWith(`runtimes/${rid}/native/`)), `${name}: no SQLite library for ${rid}`);
      }
    } else {
      const expected = platforms[target];
      assert.ok(expected, `${name}: no check is written for the target ${target}`);
      assert.ok(sidecar.includes(expected.sidecar), `${name}: no ${expected.sidecar}`);
      if (expected.aot) {
        assert.deepEqual(sidecar.filter(e => /(^|\/)(lib)?(coreclr|clrjit|hostfxr)\.(so|dll|dylib)$|\.dll$/.test(e)), [],
          `${name}: a Native AOT sidecar has no .NET runtime and no assemblies beside it`);
      } else {
        assert.ok(sidecar.includes('plue.dll'), `${name}: the sidecar has no plue.dll`);
        assert.ok(sidecar.includes(expected.runtime), `${name}: not self-contained (no ${expected.runtime})`);
      }
      assert.deepEqual(sqlite, [expected.sqlite], `${name}: SQLite should be ${expected.sqlite} alone`);
      assert.deepEqual(sidecar.filter(e => expected.foreign.test(e)), [], `${name}: files of another platform`);
      assert.ok(!sidecar.some(e => e.startsWith('runtimes/')), `${name}: other platforms' native libraries (runtimes/)`);
    }

    const mb = fs.statSync(file).size / (1 << 20);
    const budget = target === 'universal' ? budgetMb.universal : budgetMb.platform;
    console.log(`${name}: ${target}, ${mb.toFixed(1)} MB (budget ${budget} MB), ${all.length} files`);
    assert.ok(mb <= budget, `${name} is ${mb.toFixed(1)} MB, over its ${budget} MB budget`);
  });
}
