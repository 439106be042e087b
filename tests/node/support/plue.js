// Runs the real `plue` command line (the built sidecar, see sidecarCommand) as a child process with its own home and vault key.
'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { sidecarCommand } = require('./sidecar');

function tempHome() {
  return path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'plue-cli-test-')), 'home');
}

/**
 * `plue <args>` with `input` on stdin (closed after it), run in `cwd` (the command's workspace; default this process's); resolves {code, stdout, stderr}. The environment is
 * built on purpose: only PATH, HOME, the test's home and vault key (the key file, no keychain: PLUE_KEYCHAIN=off), and what the test adds.
 * `vaultKey: null` runs it as a user's shell does beside a window on the same home: no key given, the home's own key.
 */
function plue(args, { home, input = '', env = {}, cwd, timeoutMs = 60_000, vaultKey = Buffer.alloc(32, 7).toString('base64') } = {}) {
  const key = vaultKey === null ? {} : { PLUE_VAULT_KEY: vaultKey, PLUE_KEYCHAIN: 'off' };
  const child = spawn(...sidecarCommand(...args), {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, DOTNET_ROOT: process.env.DOTNET_ROOT ?? '', PLUE_HOME: home, ...key, ...env },
    cwd,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => { stdout += d; });
  child.stderr.on('data', (d) => { stderr += d; });
  // A command that answers without reading stdin (--help) may have exited before the input is written: not an error.
  child.stdin.on('error', () => {});
  child.stdin.end(input);
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return new Promise((resolve) => child.on('exit', (code, signal) => {
    clearTimeout(timer);
    resolve({ code, signal, stdout, stderr });
  }));
}

module.exports = { plue, tempHome };
