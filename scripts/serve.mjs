// `npm start`'s server: code-server with the packaged VSIX installed and a
// workspace open, on 127.0.0.1, until Ctrl+C. Usage: node scripts/serve.mjs PORT WORKSPACE
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot, startCodeServer, workbenchUrl } from '../tests/support/codeServer.mjs';

const [port, workspace] = [Number(process.argv[2]), path.resolve(process.argv[3])];
const vsix = path.join(repoRoot, 'artifacts/plue-vscode.vsix');
const dir = path.join(repoRoot, '.run/code-server');
fs.mkdirSync(dir, { recursive: true });

// Not the suites' settings: the walkthrough and the welcome page show as a user would see them, and settings changed stay.
const server = await startCodeServer({ port, dir, vsix, workspace, suite: false });
console.log(`\nPlue is running in code-server. Open:\n\n  ${workbenchUrl(server, { folder: workspace })}\n\n(server log: ${server.dirs.log}; Ctrl+C stops it)`);
// The shared module's signal handlers end the server's process group on Ctrl+C.
await server.exited;
console.error(`code-server exited on its own; see ${server.dirs.log}`);
await server.stop();
process.exit(1);
