// Every failure a user is shown is told one way (extension/src/sidecar/commandErrors.ts, `showError`: "Could not
// <action>: <reason>", its details in the output channel, a next step's button where one helps), and a thrown value's
// words are read one way (extension/src/shared/errorText.ts). The few other error toasts are notices with their own
// buttons, listed here with why.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const src = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../extension/src');
const sources = fs.readdirSync(src, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'))
  .map((file) => ({ file: file.split(path.sep).join('/'), text: fs.readFileSync(path.join(src, file), 'utf8') }));

/** The error toasts that are not a failed action: file → why it speaks for itself. */
const notices = {
  'sidecar/commandErrors.ts': 'the one helper',
  'sidecar/sidecar.ts': 'the sidecar itself: a store a newer Plue wrote, no sidecar found, crashed too often (Restart, Show Output)',
  'sidecar/dotnetRuntime.ts': '.NET missing, with Install and Download',
  'providers/testProviderInstance.ts': 'a test\'s result ("<name> failed its test"), with Edit',
  'mcp/testMcpServer.ts': 'a test\'s result ("<name> failed its test")',
  'tasks/containerTerminal.ts': 'a Docker engine test\'s result (its line says what to do), with Test Again',
  'templates/newTemplate.ts': 'a template file that exists already, with Open It',
};

test('no file reads a thrown value\'s words inline: shared/errorText.ts does', () => {
  const inline = sources.filter(({ file, text }) => file !== 'shared/errorText.ts' && /instanceof Error \? \w+\.message/.test(text)).map(({ file }) => file);
  assert.deepEqual(inline, []);
  assert.ok(sources.filter(({ text }) => text.includes('errorText(')).length > 20, 'errorText is not used');
});

test('error toasts come from showError, but for the listed notices', () => {
  const showing = sources.filter(({ text }) => text.includes('showErrorMessage(')).map(({ file }) => file).sort();
  assert.deepEqual(showing, Object.keys(notices).sort());
  assert.ok(sources.filter(({ text }) => /\bshowError\(/.test(text)).length > 25, 'showError is not used');
});
