// A node --test reporter for the repeat runner (scripts/testRepeat.mjs): one JSON line per test that passed or failed,
// named "<file> › <test>" (a subtest by its parents too), with the first lines of a failure's message.
import * as path from 'node:path';

export default async function* repeatReporter(source) {
  const parents = [];
  for await (const event of source) {
    if (event.type === 'test:start') {
      parents[event.data.nesting] = event.data.name;
      continue;
    }
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const { name, nesting, file, details, skip, todo } = event.data;
    if (skip || todo || details?.type === 'suite') continue;
    // A file's own entry (its name is its path) counts only when it failed outside its tests (it crashed).
    const isFile = file && path.resolve(name) === path.resolve(file);
    if (isFile && event.type === 'test:pass') continue;
    const where = file ? path.basename(file) : '';
    const title = [...parents.slice(0, nesting).filter(p => p && path.resolve(p) !== path.resolve(file ?? '')), name].join(' › ');
    const error = details?.error;
    const cause = error?.cause ?? error;
    const message = cause ? String(cause.message ?? cause).split('\n').filter(Boolean).slice(0, 2).join(' ') : undefined;
    yield `${JSON.stringify({ name: isFile ? `${where} (the file)` : `${where} › ${title}`, passed: event.type === 'test:pass', error: message })}\n`;
  }
}
