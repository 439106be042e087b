// A node --test reporter for the repeat runner (scripts/testRepeat.mjs): one JSON line per test that passed or failed,
// named "<file> › <test>" (a subtest by its parents too; by its name alone when a wrapper in a support folder declared
// it, as every E2E test is), with the first lines of a failure's message. A file that failed outside its tests (it
// crashed) is one entry of its own.
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
    const isFile = path.isAbsolute(name) && /\.(m?js|ts)$/.test(name);
    if (isFile && event.type === 'test:pass') continue;
    const where = file && !file.split(path.sep).includes('support') ? `${path.basename(file)} › ` : '';
    const title = [...parents.slice(0, nesting).filter(p => p && !path.isAbsolute(p)), name].join(' › ');
    const error = details?.error;
    const cause = error?.cause ?? error;
    const message = cause ? String(cause.message ?? cause).split('\n').filter(Boolean).slice(0, 2).join(' ') : undefined;
    yield `${JSON.stringify({ name: isFile ? `${path.basename(name)} (the file)` : `${where}${title}`, passed: event.type === 'test:pass', error: message })}\n`;
  }
}
