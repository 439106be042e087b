// Every E2E test is declared through `test` here (node:test's, wrapped): when one fails, or runs out of time, each
// workbench open then leaves its evidence (tests/support/evidence.mjs) under
// artifacts/test-results/e2e/<file>/<test>/.
import * as path from 'node:path';
import { test as nodeTest } from 'node:test';
import { markOf, noteRetry as note, saveEvidence, slug, testResults } from '../../support/evidence.mjs';

/** The workbenches open now (openWorkbench adds, close removes): a failure saves each one. */
export const openWorkbenches = new Set();
const file = path.basename(process.argv[1] ?? 'e2e', '.test.mjs');
let current;
/** Evidence being saved: a workbench closes only after it (a timed-out test's `after` runs at once). */
const saving = new Set();

/** Resolves once no evidence is being saved. */
export function evidenceSaved() {
  return Promise.all([...saving]);
}

/** node:test's `test` (name, options?, body), saving the evidence when the test fails or times out. */
export function test(name, options, body) {
  if (typeof options === 'function') [options, body] = [{}, options];
  return nodeTest(name, options, async (t) => {
    const marks = new Map([...openWorkbenches].map(w => [w, markOf(w)]));
    let saved;
    const save = (error) => {
      if (!saved) {
        const workbenches = [...openWorkbenches].map(w => ({ ...w, mark: marks.get(w) }));
        saved = saveEvidence(path.join(testResults, 'e2e', file, slug(name)), name, error, workbenches)
          .catch(e => console.error(`the evidence of "${name}" was not saved: ${e.message}`));
        saving.add(saved);
        void saved.finally(() => saving.delete(saved));
      }
      return saved;
    };
    // A test that runs out of time is never rejected: its signal aborts, and the page is saved as it is then.
    const onAbort = () => void save(new Error(`the test was cancelled or ran out of its ${options.timeout ?? 'default'} ms`));
    t.signal?.addEventListener('abort', onAbort, { once: true });
    current = name;
    try {
      await body(t);
    } catch (error) {
      await save(error);
      throw error;
    } finally {
      t.signal?.removeEventListener('abort', onAbort);
      current = undefined;
    }
  });
}

/** Counts an action of the running test that worked only at attempt `attempts` (tests/support/evidence.mjs). */
export function noteRetry(action, attempts) {
  note({ suite: 'e2e', file, test: current ?? '(outside a test)', action, attempts });
}
