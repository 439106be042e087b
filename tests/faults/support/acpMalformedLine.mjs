// Runs the ACP agent its arguments name, passing its stdio through, and writes one line that is not JSON to the
// client before the agent's first message chunk: a real agent with a broken line in its stream. What the client
// answered about it (its parse error) is appended to the file the first argument names.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as readline from 'node:readline';

const [report, command, ...args] = process.argv.slice(2);
const agent = spawn(command, args, { stdio: ['pipe', 'pipe', 'inherit'] });
readline.createInterface({ input: process.stdin }).on('line', (line) => {
  if (line.includes('-32700')) fs.appendFileSync(report, `${line}\n`);
  agent.stdin.write(`${line}\n`);
});
let broken = false;
readline.createInterface({ input: agent.stdout }).on('line', (line) => {
  if (!broken && line.includes('agent_message_chunk')) {
    broken = true;
    process.stdout.write('{"jsonrpc":"2.0","method":"session/update","params":{"sessionId": not json\n');
  }
  process.stdout.write(`${line}\n`);
});
agent.on('exit', (code) => process.exit(code ?? 1));
