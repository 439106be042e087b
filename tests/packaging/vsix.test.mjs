// Checks every VSIX in artifacts/ (npm run package: plue-vscode.vsix; npm run package:all: plue-vscode-<target>.vsix),
// or in PLUE_ARTIFACTS (scripts/release.sh validate: the files a release publishes), for its platform, as its
// manifest names it: the sidecar and the native SQLite library of that platform and of no other, each executable's
// format and CPU read from its headers (ELF, its loader, glibc's or musl's, and the libraries it and every library
// beside it need; Mach-O and its code signature; PE), the bundle and the listing, and nothing of the sources (no
// tests, maps, pdbs, TypeScript). Prints each size against its budget. A target of package:all whose VSIX is not
// there is skipped, saying how to build it.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { describe } from './executable.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const artifacts = path.resolve(process.env.PLUE_ARTIFACTS ?? path.join(repo, 'artifacts'));
const vsixes = fs.existsSync(artifacts) ? fs.readdirSync(artifacts).filter(f => /^plue-vscode.*\.vsix$/.test(f)) : [];

/**
 * Size budgets (MB). The linux-x64 VSIX carries the Native AOT sidecar (one executable, no runtime); a platform VSIX
 * built elsewhere carries the trimmed .NET runtime compiled composite with the sidecar. 24.7 is what the composite
 * linux-x64 VSIX weighed: Native AOT must not make a download larger. The universal one has no runtime, only plue.dll
 * and its libraries and SQLite for each platform. Alpine's (musl) composite VSIX compresses less: 26.0 MB for
 * alpine-x64 when it was first built, with the same files as linux-arm64's 24.7 MB.
 */
const budgetMb = { platform: 24.7, universal: 12, 'alpine-x64': 26.5, 'alpine-arm64': 26.5 };

const linux = { sidecar: 'plue', runtime: 'libcoreclr.so', sqlite: 'libe_sqlite3.so', foreign: /\.(exe|dylib)$|^(coreclr|clrjit)\.dll$/ };
const windows = { sidecar: 'plue.exe', runtime: 'coreclr.dll', sqlite: 'e_sqlite3.dll', foreign: /\.so$|\.dylib$/ };
const macos = { sidecar: 'plue', runtime: 'libcoreclr.dylib', sqlite: 'libe_sqlite3.dylib', foreign: /\.(exe|so)$|^(coreclr|clrjit)\.dll$/ };

/**
 * The libraries a Linux sidecar may need (DT_NEEDED) beyond its own folder: what every glibc system has (libc6,
 * libgcc-s1, libstdc++6), and on Alpine musl itself and what the release's Alpine container adds (apk add libstdc++
 * libgcc), which is what an Alpine user installs too. Anything else (a glibc name on musl above all) would stop the
 * loader before the sidecar starts; no Alpine system runs here, so this and the loader are what is checked of it.
 */
const glibc = (loader) => ['libc.so.6', 'libm.so.6', 'libdl.so.2', 'libpthread.so.0', 'librt.so.1', 'libgcc_s.so.1', 'libstdc++.so.6', loader];
// A musl build names musl as libc.so (SQLite's) or libc.musl-<arch>.so.1 (the runtime's), both answered by musl's
// loader; a glibc build names libc.so.6 and wants glibc's versioned symbols, which musl does not have.
const musl = (arch) => ['libc.so', `libc.musl-${arch}.so.1`, 'libgcc_s.so.1', 'libstdc++.so.6'];

/**
 * What each platform's sidecar folder must hold, names that belong to other platforms, and what its executable and
 * SQLite library are: format, CPU, and the ELF loader (glibc's, or musl's on Alpine) or, on macOS, a code signature.
 */
const platforms = {
  'linux-x64': { ...linux, format: 'elf', cpu: 'x86-64', interpreter: '/lib64/ld-linux-x86-64.so.2', libraries: glibc('ld-linux-x86-64.so.2') },
  'linux-arm64': { ...linux, format: 'elf', cpu: 'aarch64', interpreter: '/lib/ld-linux-aarch64.so.1', libraries: glibc('ld-linux-aarch64.so.1') },
  'linux-armhf': { ...linux, format: 'elf', cpu: 'arm', interpreter: '/lib/ld-linux-armhf.so.3', libraries: glibc('ld-linux-armhf.so.3') },
  'alpine-x64': { ...linux, format: 'elf', cpu: 'x86-64', interpreter: '/lib/ld-musl-x86_64.so.1', libraries: musl('x86_64') },
  'alpine-arm64': { ...linux, format: 'elf', cpu: 'aarch64', interpreter: '/lib/ld-musl-aarch64.so.1', libraries: musl('aarch64') },
  'win32-x64': { ...windows, format: 'pe', cpu: 'x86-64' },
  'win32-arm64': { ...windows, format: 'pe', cpu: 'aarch64' },
  'darwin-x64': { ...macos, format: 'mach-o', cpu: 'x86-64', signed: true },
  'darwin-arm64': { ...macos, format: 'mach-o', cpu: 'aarch64', signed: true },
};

/** What `npm run package:all` builds (scripts/package.sh's all_targets). */
const packageAll = /^all_targets=\(([^)]*)\)$/m.exec(fs.readFileSync(path.join(repo, 'scripts/package.sh'), 'utf8'))[1].trim().split(/\s+/);

/**
 * Whether TARGET's sidecar is Native AOT: PLUE_AOT_TARGETS when set (the release: every target built on a runner, or
 * in a container, of its own system and CPU, which is all but 32-bit ARM Linux), else publish.sh's rule on this
 * machine (its own target only; another gets composite ReadyToRun). Anything else is composite ReadyToRun: plue.dll
 * beside a self-contained runtime. Each VSIX's test prints which it found.
 */
function nativeAot(target) {
  if (process.env.PLUE_AOT_TARGETS !== undefined) return process.env.PLUE_AOT_TARGETS.split(/\s+/).includes(target);
  const run = ['set -e; source scripts/lib/publish.sh; native_aot "$(rid_of "$1")" && echo aot || true'];
  return execFileSync('bash', ['-c', ...run, 'bash', target], { cwd: repo, encoding: 'utf8' }).trim() === 'aot';
}

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

/** The bytes of one entry of a VSIX. */
function content(file, entry) {
  return execFileSync('unzip', ['-p', file, entry], { maxBuffer: 256 << 20 });
}

for (const target of packageAll.filter(t => !vsixes.includes(`plue-vscode-${t}.vsix`))) {
  test(`plue-vscode-${target}.vsix`, { skip: `not built: \`bash scripts/package.sh ${target}\` (or npm run package:all) builds it` }, () => {});
}

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
      const aot = nativeAot(target);
      if (aot) {
        // (Windows' SQLite library is a .dll too: the one native library beside it.)
        assert.deepEqual(sidecar.filter(e => e !== expected.sqlite && /(^|\/)(lib)?(coreclr|clrjit|hostfxr)\.(so|dll|dylib)$|\.dll$/.test(e)), [],
          `${name}: a Native AOT sidecar has no .NET runtime and no assemblies beside it`);
      } else {
        assert.ok(sidecar.includes('plue.dll'), `${name}: the sidecar has no plue.dll`);
        assert.ok(sidecar.includes(expected.runtime), `${name}: not self-contained (no ${expected.runtime})`);
      }
      assert.deepEqual(sqlite, [expected.sqlite], `${name}: SQLite should be ${expected.sqlite} alone`);
      assert.deepEqual(sidecar.filter(e => expected.foreign.test(e)), [], `${name}: files of another platform`);
      assert.ok(!sidecar.some(e => e.startsWith('runtimes/')), `${name}: other platforms' native libraries (runtimes/)`);
      assert.deepEqual(sidecar.filter(e => /^((lib)?(mscordaccore|mscordbi|clrgc|coreclrtraceptprovider)|Microsoft\.DiaSymReader\.Native|createdump)/.test(e)), [],
        `${name}: the runtime's debugger, dump, trace and spare GC files (scripts/lib/publish.sh prunes them)`);

      const program = describe(content(file, `extension/dist/sidecar/${expected.sidecar}`));
      const library = describe(content(file, `extension/dist/sidecar/${expected.sqlite}`));
      for (const [what, found] of [[expected.sidecar, program], [expected.sqlite, library]]) {
        assert.deepEqual({ format: found.format, cpu: found.cpu }, { format: expected.format, cpu: expected.cpu }, `${name}: ${what} is not for ${target}`);
      }
      if (expected.interpreter) assert.equal(program.interpreter, expected.interpreter, `${name}: ${expected.sidecar} loads with the wrong C library's loader`);
      if (expected.signed) assert.ok(program.signed, `${name}: ${expected.sidecar} has no code signature (macOS on Apple silicon will not run it)`);
      if (aot && program.format === 'elf') {
        // Laid out for a start that touches few pages (server/Plue.Server.csproj, ARCHITECTURE.md "Native AOT where it
        // can be"): no type data to expand into a .hydrated section before Main, and a fixed address, so nothing is relocated.
        assert.ok(!program.sections.includes('.hydrated'), `${name}: ${expected.sidecar} has a .hydrated section (IlcDehydrate is on: thousands of page faults at every start)`);
        assert.ok(program.sections.includes('__managedcode'), `${name}: ${expected.sidecar}'s sections were not read (${program.sections.length} found)`);
        assert.equal(program.positionIndependent, false, `${name}: ${expected.sidecar} is position-independent (its type data is relocated at every start)`);
      }
      const needed = new Set();
      if (expected.libraries) {
        // The program and every library beside it: each needs only the system's libraries or one shipped with it.
        const shipped = sidecar.filter(e => !e.includes('/') && /\.so(\.\d+)*$/.test(e));
        // A Linux Native AOT sidecar has the sandbox's bridge in C beside it (server/Sandbox/bridge/), Alpine's too
        // (published in an Alpine container, which builds the bridge with its own C compiler).
        const bridge = aot && /^(linux|alpine)-/.test(target) ? ['plue-sandbox-bridge'] : [];
        for (const program of bridge) assert.ok(sidecar.includes(program), `${name}: no ${program} beside the sidecar`);
        for (const elf of [expected.sidecar, ...bridge, ...shipped]) {
          const found = elf === expected.sidecar ? program : describe(content(file, `extension/dist/sidecar/${elf}`));
          assert.equal(found.cpu, expected.cpu, `${name}: ${elf} is not for ${target}`);
          const missing = found.needed.filter(lib => !expected.libraries.includes(lib) && !shipped.includes(lib));
          assert.deepEqual(missing, [], `${name}: ${elf} needs libraries that ${target} does not have`);
          for (const lib of found.needed) needed.add(lib);
        }
      }
      console.log(`${name}: ${aot ? 'Native AOT' : 'composite ReadyToRun'} ${program.format} ${program.cpu}${program.interpreter ? `, loader ${program.interpreter}` : ''}${program.signed ? ', code-signed' : ''}${needed.size ? `, needs ${[...needed].sort().join(' ')}` : ''}`);
    }

    const mb = fs.statSync(file).size / (1 << 20);
    const budget = budgetMb[target] ?? budgetMb.platform;
    console.log(`${name}: ${target}, ${mb.toFixed(1)} MB (budget ${budget} MB), ${all.length} files`);
    assert.ok(mb <= budget, `${name} is ${mb.toFixed(1)} MB, over its ${budget} MB budget`);
  });
}
