// Prints "PASSED FAILED" summed over the given TRX files (dotnet test --logger trx);
// prints nothing when there is no readable TRX, so the caller counts a crash.
import * as fs from 'node:fs';

let passed = 0;
let failed = 0;
let read = 0;
for (const file of process.argv.slice(2)) {
  if (!fs.existsSync(file)) continue;
  const counters = /<Counters ([^>]*)>/.exec(fs.readFileSync(file, 'utf8'))?.[1];
  if (!counters) continue;
  const value = name => Number(new RegExp(`\\b${name}="(\\d+)"`).exec(counters)?.[1] ?? 0);
  passed += value('passed');
  failed += value('failed') + value('error') + value('timeout') + value('aborted');
  read++;
}
if (read > 0) console.log(`${passed} ${failed}`);
