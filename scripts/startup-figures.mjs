// Start-up cost of the two sidecars the VSIXs ship, measured in one run, interleaved: the self-contained one of a
// platform VSIX (dist/publish/<target>/plue) and the framework-dependent one of the universal VSIX
// (`dotnet dist/publish/universal/plue.dll`). For each: spawn to `initialize` answered, and the resident memory
// (VmRSS) once it has sat idle for 2 s. Prints medians and p99 beside the machine's load. Run `npm run package:all`
// first (it leaves the publishes in dist/publish). Usage: node scripts/startup-figures.mjs [starts, default 15]
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const rpc = createRequire(import.meta.url)('vscode-jsonrpc/node');
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const starts = Number(process.argv[2] ?? 15);
const target = { 'linux-x64': 'linux-x64', 'win32-x64': 'win32-x64' }[`${process.platform === 'win32' ? 'win32' : process.platform}-${process.arch}`];
const exe = path.join(root, 'dist/publish', target ?? 'none', process.platform === 'win32' ? 'plue.exe' : 'plue');
const dll = path.join(root, 'dist/publish/universal/plue.dll');
for (const file of [exe, dll]) {
  if (!fs.existsSync(file)) throw new Error(`${file} is missing: run npm run package:all first`);
}
const kinds = [
  { name: 'self-contained (platform VSIX)', command: exe, args: [] },
  { name: 'framework-dependent (universal VSIX)', command: 'dotnet', args: [dll] },
];

async function once(kind) {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'plue-startup-'));
  const begun = performance.now();
  const child = spawn(kind.command, kind.args, { env: { PATH: process.env.PATH, HOME: process.env.HOME, PLUE_HOME: home }, stdio: ['pipe', 'pipe', 'ignore'] });
  const connection = rpc.createMessageConnection(new rpc.StreamMessageReader(child.stdout), new rpc.StreamMessageWriter(child.stdin));
  connection.listen();
  try {
    await connection.sendRequest('initialize', { processId: process.pid, capabilities: {}, initializationOptions: { plueHome: home } });
    const ms = performance.now() - begun;
    await new Promise(resolve => setTimeout(resolve, 2000));
    const rss = Number(/VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'))[1]) / 1024;
    return { ms, rss };
  } finally {
    connection.dispose();
    child.kill('SIGKILL');
    fs.rmSync(home, { recursive: true, force: true });
  }
}

const percentile = (values, p) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.ceil(p / 100 * values.length) - 1)];
const results = new Map(kinds.map(k => [k.name, []]));
for (let i = -1; i < starts; i++) { // one unrecorded round warms the disk cache
  for (const kind of i % 2 === 0 ? kinds : [...kinds].reverse()) {
    const r = await once(kind);
    if (i >= 0) results.get(kind.name).push(r);
  }
}
console.log(`${starts} starts each, interleaved; load average ${os.loadavg().map(l => l.toFixed(1)).join(' ')} on ${os.cpus().length} cores`);
for (const [name, rs] of results) {
  const ms = rs.map(r => r.ms);
  const rss = rs.map(r => r.rss);
  console.log(`${name}: cold start to initialize median ${percentile(ms, 50).toFixed(0)} ms, p99 ${percentile(ms, 99).toFixed(0)} ms; ` +
    `idle RSS median ${percentile(rss, 50).toFixed(1)} MB, p99 ${percentile(rss, 99).toFixed(1)} MB`);
}
