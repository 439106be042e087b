// The repository documents itself: every Markdown document a tracked file links to
// or names must exist in the repository. Checks relative links in .md files, and
// mentions of capitalised documents (README.md, docs/PROVIDERS.md, ...) in any
// text file; an absolute path or one that climbs out of the repository fails, and so
// does a relative path up to a `shared` folder that is not one of the repository's.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '../..');

// Copied in from elsewhere with their own references: not ours to rewrite.
const vendored = [/^catalog\/CATWALK-/, /^tests\/fixtures\/json5-tests\//, /^package-lock\.json$/];
// This file names missing documents on purpose, to test the checks.
const self = path.relative(root, __filename).split(path.sep).join('/');

const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: root, encoding: 'utf8' })
  .split('\0')
  .filter(f => f && fs.existsSync(path.join(root, f)));
const tracked = new Set(files);
const folders = new Set(files.flatMap(f => f.split('/').slice(0, -1).map((_, i, parts) => parts.slice(0, i + 1).join('/'))));
const basenames = new Set(files.map(f => path.posix.basename(f)));

function textOf(file) {
  if (file === self || vendored.some(pattern => pattern.test(file))) return undefined;
  const bytes = fs.readFileSync(path.join(root, file));
  if (bytes.length > 2_000_000 || bytes.includes(0)) return undefined;
  return bytes.toString('utf8');
}

/** The repository-relative path of `target` seen from `file`'s folder, or null when it leaves the repository. */
function resolveFrom(file, target) {
  const joined = path.posix.normalize(path.posix.join(path.posix.dirname(file), target));
  return joined === '..' || joined.startsWith('../') ? null : joined.replace(/\/$/, '');
}

function exists(relative) {
  return relative !== null && (relative === '.' || tracked.has(relative) || folders.has(relative));
}

function lineOf(text, index) {
  return text.slice(0, index).split('\n').length;
}

/** Relative links and images in Markdown: [text](target "title"), ![alt](target), and [label]: target definitions. */
function markdownLinks(text) {
  const prose = text.replace(/^(```|~~~)[\s\S]*?^\1/gm, block => block.replace(/[^\n]/g, ' ')).replace(/`[^`\n]*`/g, span => ' '.repeat(span.length));
  const links = [];
  for (const match of prose.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) links.push({ target: match[1], index: match.index });
  for (const match of prose.matchAll(/^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/gm)) links.push({ target: match[1], index: match.index });
  return links.filter(link => !/^[a-z][a-z0-9+.-]*:/i.test(link.target) && !link.target.startsWith('#'));
}

/**
 * Names of Markdown documents in any text: README.md, docs/TEMPLATES.md, ../x/NOTES.md, /abs/DESIGN.md. Lowercase
 * .md names are data (prompts, files a test writes); a path built on a variable ($dir/README.md) is left alone.
 */
function documentMentions(text) {
  return [...text.matchAll(/(?<![\w.:/$}-])((?:[\w.-]*\/)*[A-Z][A-Z0-9_-]*\.md)(?![\w-])/g)].map(m => ({ target: m[1], index: m.index }));
}

/** Files of the user's workspace that Plue reads (its instructions files), not documents of this repository. */
const workspaceFileNames = new Set(['AGENTS.md', 'CLAUDE.md', 'GEMINI.md', 'SKILL.md']);

function mentionResolves(file, target) {
  if (workspaceFileNames.has(path.posix.basename(target))) return true;
  if (target.startsWith('/')) return false;
  if (!target.includes('/')) return basenames.has(target);
  if (target.startsWith('./') || target.startsWith('../')) return exists(resolveFrom(file, target));
  return exists(path.posix.normalize(target)) || exists(resolveFrom(file, target));
}

test('relative links in Markdown files point at files in the repository', () => {
  const broken = [];
  for (const file of files.filter(f => f.endsWith('.md'))) {
    const text = textOf(file);
    if (text === undefined) continue;
    for (const { target, index } of markdownLinks(text)) {
      const clean = decodeURIComponent(target.replace(/[#?].*$/, ''));
      if (clean.length === 0) continue;
      const relative = clean.startsWith('/') ? path.posix.normalize(clean.slice(1)) : resolveFrom(file, clean);
      if (!exists(relative)) broken.push(`${file}:${lineOf(text, index)} links to ${target}`);
    }
  }
  assert.deepEqual(broken, []);
});

test('documents named in code, comments and docs exist in the repository', () => {
  const broken = [];
  for (const file of files) {
    const text = textOf(file);
    if (text === undefined) continue;
    for (const { target, index } of documentMentions(text)) {
      if (!mentionResolves(file, target)) broken.push(`${file}:${lineOf(text, index)} names ${target}`);
    }
  }
  assert.deepEqual(broken, []);
});

/**
 * Where `text` climbs (`../`, `../../`, ...) to a `shared` folder that is not a folder of the repository: one outside
 * it, such as the product notes beside the checkout. The extension's own `../shared/` (extension/src/shared) passes.
 */
function sharedClimbsOut(file, text) {
  return [...text.matchAll(/(?<![\w.-])((?:\.\.\/)+shared)\b/g)]
    .filter(match => !folders.has(resolveFrom(file, match[1])))
    .map(match => match.index);
}

test('no path climbs out of the repository to a shared folder', () => {
  const outside = [];
  for (const file of files) {
    const text = textOf(file);
    if (text === undefined) continue;
    for (const index of sharedClimbsOut(file, text)) outside.push(`${file}:${lineOf(text, index)}`);
  }
  assert.deepEqual(outside, []);
});

test('the checks catch what they are for', () => {
  assert.deepEqual(markdownLinks('[a](docs/NOPE.md) [b](https://x.org/A.md) [c](#top) `[d](E.md)`').map(l => l.target), ['docs/NOPE.md']);
  assert.deepEqual(documentMentions('see FOO.md, docs/BAR.md and https://x.org/BAZ.md; notes.md').map(m => m.target), ['FOO.md', 'docs/BAR.md']);
  assert.equal(mentionResolves('server/X.cs', '/elsewhere/DESIGN.md'), false);
  assert.equal(mentionResolves('server/X.cs', 'docs/TEMPLATES.md'), true);
  assert.equal(mentionResolves('docs/X.md', '../../NOWHERE.md'), false);
  assert.equal(sharedClimbsOut('extension/src/chat/x.ts', "import { a } from '../shared/format';").length, 0);
  assert.equal(sharedClimbsOut('extension/webview/x.ts', "import { a } from '../src/shared/format';").length, 0);
  assert.equal(sharedClimbsOut('docs/X.md', 'see ../../../shared/DESIGN.md').length, 1);
  assert.equal(sharedClimbsOut('extension/src/chat/x.ts', 'see ../../../shared/DESIGN.md').length, 1);
  assert.equal(sharedClimbsOut('README.md', 'see ../shared/STYLE.md').length, 1);
});
