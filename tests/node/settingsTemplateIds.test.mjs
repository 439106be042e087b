// The settings room (extension/src/settings/) names no shipped template: what a form or the home needs of a kind comes
// from the template as the sidecar tells it (its `kind`) and from what each feature registered for its kind
// (settings/kindSettings.ts), so a user's template that inherits from a feature's is that feature's too.
import test from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';

const { root } = createRequire(import.meta.url)('./support/sidecar.js');

test('no file in extension/src/settings/ names a shipped template id', () => {
  const templates = path.join(root, 'templates');
  const ids = fs.readdirSync(templates).filter((f) => f.endsWith('.json5'))
    .map((f) => /^\s*id:\s*"([^"]+)"/m.exec(fs.readFileSync(path.join(templates, f), 'utf8'))?.[1])
    .filter(Boolean);
  assert.ok(ids.includes('llm-provider') && ids.includes('task') && ids.length >= 10, `the shipped template ids were not read: ${ids.join(', ')}`);
  const settings = path.join(root, 'extension', 'src', 'settings');
  const named = [];
  for (const file of fs.readdirSync(settings).filter((f) => f.endsWith('.ts'))) {
    const text = fs.readFileSync(path.join(settings, file), 'utf8');
    for (const id of ids) {
      for (const quote of ["'", '"', '`']) {
        if (text.includes(`${quote}${id}${quote}`)) named.push(`${file}: ${quote}${id}${quote}`);
      }
    }
  }
  assert.deepEqual(named, [], 'a settings file names a shipped template: take what it needs from the template\'s kind (KindSettings)');
});

test('the settings room knows what a field is for by its role, never by reading its pattern', () => {
  const files = [
    ...fs.readdirSync(path.join(root, 'extension', 'src', 'settings')).filter((f) => f.endsWith('.ts')).map((f) => path.join('extension', 'src', 'settings', f)),
    path.join('extension', 'src', 'shared', 'settingsMessages.ts'),
  ];
  const guesses = [];
  for (const file of files) {
    const text = fs.readFileSync(path.join(root, file), 'utf8');
    text.split('\n').forEach((line, i) => {
      if (/\.pattern\b/.test(line)) guesses.push(`${file}:${i + 1}: ${line.trim()}`);
    });
  }
  assert.deepEqual(guesses, [], 'a settings file reads a field\'s pattern: give the field a role (templates say `role`; the sidecar implies one from an old pattern)');
});
