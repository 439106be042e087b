// Where a secret must never show up: files under a folder, a page's DOM and form values.
/* global document */ // pageText() runs its callback in the page
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Every regular file under dir, recursively. */
export function filesUnder(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map(name => path.join(dir, name))
    .filter(file => fs.statSync(file).isFile());
}

/** The files under dir whose bytes contain secret (as UTF-8, UTF-16LE or base64). */
export function filesContaining(dir, secret) {
  const needles = [Buffer.from(secret, 'utf8'), Buffer.from(secret, 'utf16le'), Buffer.from(Buffer.from(secret).toString('base64'))];
  return filesUnder(dir).filter(file => {
    const bytes = fs.readFileSync(file);
    return needles.some(needle => bytes.includes(needle));
  });
}

/**
 * The page's markup, visible text and input values, across all frames. A
 * password box's value is left out unless `passwords` (it holds what is being
 * typed, masked); once a key is accepted, check with `passwords: true`.
 */
export async function pageText(page, { passwords = false } = {}) {
  const parts = [];
  for (const frame of page.frames()) {
    parts.push(await frame.evaluate(withPasswords => [
      document.documentElement.outerHTML,
      document.body?.innerText ?? '',
      ...[...document.querySelectorAll('input, textarea')].filter(input => withPasswords || input.type !== 'password').map(input => input.value),
    ].join('\n'), passwords).catch(() => ''));
  }
  return parts.join('\n');
}
