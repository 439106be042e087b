import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PlueApi } from '../host/plueApi';
import type { StatusResult } from '../../../extension/src/shared/protocol';
import { extensionId, readTrace, until, within } from './support';

suite('Plue extension', () => {
	let api: PlueApi;

	suiteSetup(async () => {
		const extension = vscode.extensions.getExtension<PlueApi>(extensionId);
		assert.ok(extension, `${extensionId} is not installed in this host`);
		api = await extension.activate();
	});

	/** Waits for the sidecar to run; on a timeout says what state it is in and why. */
	async function running(ms: number): Promise<void> {
		await within(ms, api.whenState('running'), 'the sidecar to run').catch((error: Error) => {
			throw new Error(`${error.message}; its state: ${JSON.stringify(api.state)}`);
		});
	}

	test('activates', () => {
		assert.equal(vscode.extensions.getExtension(extensionId)?.isActive, true);
	});

	test('a .json5 file (a template) opens as JSON5, with its grammar, not as plain text', async () => {
		const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'plue-json5-')), 'my-provider.json5');
		fs.writeFileSync(file, "{\n  // a comment\n  id: 'my-provider',\n  max: 0x10,\n}\n");
		const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
		assert.equal(document.languageId, 'json5');
		const extension = vscode.extensions.getExtension(extensionId)!;
		const { grammars } = (extension.packageJSON as { contributes: { grammars: { language: string; path: string }[] } }).contributes;
		const grammar = grammars.find(g => g.language === 'json5');
		assert.ok(grammar && fs.existsSync(path.join(extension.extensionPath, grammar.path)), `the JSON5 grammar ${grammar?.path} is not in the installed extension`);
	});

	test('the sidecar reaches running and says it is plue', async () => {
		await running(30_000);
		const serverInfo = api.client?.initializeResult?.serverInfo;
		assert.equal(serverInfo?.name, 'plue');
		assert.ok(api.sidecarPid, 'no sidecar process id');
	});

	test('plue.showStatus returns the status of the process the extension spawned', async () => {
		await running(10_000);
		const status = await vscode.commands.executeCommand<StatusResult | undefined>('plue.showStatus');
		assert.ok(status, 'plue.showStatus returned nothing');
		assert.equal(status.pid, api.sidecarPid);
		assert.equal(status.plueHome, process.env.PLUE_HOME ?? path.join(os.homedir(), '.plue'));
		assert.equal(status.version, api.client?.initializeResult?.serverInfo?.version);
		assert.ok(status.uptimeMs > 0 && status.uptimeMs < 10 * 60_000, `uptimeMs ${status.uptimeMs}`);
		assert.ok(['keychain', 'file', 'environment'].includes(status.vaultKey?.store ?? ''), `vaultKey ${JSON.stringify(status.vaultKey)}`);
		// Whether what the agent runs is sandboxed, as the status bar's tooltip and the status message say it: a policy
		// by its name where it is active, why not where it is not.
		const sandbox = status.sandbox;
		assert.ok(sandbox, 'the status says nothing of the sandbox');
		if (sandbox.active) {
			assert.match(sandbox.policy, /^[A-Z][a-z]/, `the policy by its name: ${sandbox.policy}`);
		} else {
			assert.ok(sandbox.reason && / /.test(sandbox.reason), `why not, in words: ${JSON.stringify(sandbox)}`);
		}
	});

	test('the Channels tree shows User Chats and Agent Tasks, or nothing (its welcome) before the first chat or task', async () => {
		await vscode.commands.executeCommand('plue.channels.focus');
		// The tree as the store is now: earlier tests change chats and tasks through the client directly.
		await vscode.commands.executeCommand('plue.chat.refresh');
		await vscode.commands.executeCommand('plue.tasks.refresh');
		// Archived chats count too: the tree lists them under User Chats.
		const count = async (params: object): Promise<number> => (await api.client?.sendRequest<unknown[]>('session/list', params))?.length ?? 0;
		const empty = await count({}) + await count({ archived: true }) === 0 && api.tasks.all.length === 0;
		assert.deepEqual(api.channels().map(node => node.label), empty ? [] : ['User Chats', 'Agent Tasks']);
	});

	test('a crashed sidecar is restarted', async () => {
		await running(10_000);
		const crashed = api.sidecarPid;
		assert.ok(crashed);
		process.kill(crashed, 'SIGKILL');
		// Requests sent as it dies fail to write, one error each: the client must restart it all the same.
		const inFlight = Array.from({ length: 8 }, () => api.status().catch(() => undefined));
		await within(30_000, until(() => api.state.kind === 'running' && api.sidecarPid !== undefined && api.sidecarPid !== crashed), 'a new sidecar');
		await Promise.all(inFlight);
		assert.equal((await api.status()).pid, api.sidecarPid);
	});

	test('a sidecar that dies during its start, time after time, is given up on after five crashes, and none is left running', async () => {
		// A restarted sidecar has a client of its own, whose count of crashes starts at none.
		await vscode.commands.executeCommand('plue.restartSidecar');
		await running(30_000);
		const killed: number[] = [];
		try {
			// Each new sidecar dies a little later in its start than the one before: at once, writing or reading initialize.
			let seen: { pid: number; at: number } | undefined;
			// Until it gives up: a client that restarts reads 'stopped' for a moment after each death, which is not the end.
			const gaveUp = () => api.state.kind === 'stopped' && api.state.error === 'it crashed repeatedly' && api.sidecarPid === undefined;
			for (const deadline = Date.now() + 60_000; !gaveUp();) {
				assert.ok(Date.now() < deadline, `still restarting after ${killed.length} deaths; state ${JSON.stringify(api.state)}`);
				const pid = api.sidecarPid;
				if (pid !== undefined && !killed.includes(pid)) {
					if (seen?.pid !== pid) {
						seen = { pid, at: Date.now() };
					}
					if (Date.now() - seen.at >= killed.length * 25) {
						process.kill(pid, 'SIGKILL');
						killed.push(pid);
					}
				}
				await new Promise(resolve => setTimeout(resolve, 2));
			}
			await new Promise(resolve => setTimeout(resolve, 3000));
			assert.deepEqual(api.state, { kind: 'stopped', error: 'it crashed repeatedly' }, `killed ${killed.join(', ')}; ${processEvidence(api)}`);
			assert.equal(killed.length, 6, `the extension gave up after ${killed.length} deaths (${killed.join(', ')})`);
			assert.deepEqual(sidecarsRunning(), [], `a sidecar the extension no longer owns still runs: killed ${killed.join(', ')}; ${processEvidence(api)}`);
		} finally {
			await vscode.commands.executeCommand('plue.restartSidecar');
			await running(30_000);
			await vscode.commands.executeCommand('notifications.clearAll');
		}
	});

	test('Restart Sidecar run three times at once ends with one sidecar, the one the extension owns', async () => {
		await running(30_000);
		await Promise.all([1, 2, 3].map(() => vscode.commands.executeCommand('plue.restartSidecar')));
		await running(30_000);
		await within(5_000, until(() => sidecarsRunning().length === 1), 'only one sidecar to run').catch(() => undefined);
		assert.deepEqual(sidecarsRunning(), [api.sidecarPid], `a sidecar the extension no longer owns still runs: ${processEvidence(api)}`);
		assert.equal((await api.status()).pid, api.sidecarPid);
	});

	test('Restart Sidecar while a crashed sidecar is being restarted ends with one sidecar, the one the extension owns', async () => {
		// The successor the client spawns after a crash is held (SIGSTOP) before it answers initialize: the client is
		// then still starting it and cannot stop it by asking. Caught too late (it answered), the crash is repeated.
		let held: number | undefined;
		for (let attempt = 0; attempt < 5 && held === undefined; attempt++) {
			await running(30_000);
			const crashed = api.sidecarPid;
			assert.ok(crashed);
			process.kill(crashed, 'SIGKILL');
			for (const deadline = Date.now() + 30_000; api.sidecarPid === undefined || api.sidecarPid === crashed;) {
				assert.ok(Date.now() < deadline, 'no successor to the crashed sidecar');
				await new Promise(resolve => setTimeout(resolve, 1));
			}
			const successor = api.sidecarPid;
			process.kill(successor, 'SIGSTOP');
			await new Promise(resolve => setTimeout(resolve, 200));
			if (api.state.kind === 'starting') {
				held = successor;
			} else {
				process.kill(successor, 'SIGCONT');
				// A new client, whose count of crashes starts at none.
				await vscode.commands.executeCommand('plue.restartSidecar');
			}
		}
		assert.ok(held, 'each successor answered initialize before it could be held');
		await vscode.commands.executeCommand('plue.restartSidecar');
		await running(30_000);
		assert.notEqual(api.sidecarPid, held);
		await within(5_000, until(() => sidecarsRunning().length === 1), 'only one sidecar to run').catch(() => undefined);
		assert.deepEqual(sidecarsRunning(), [api.sidecarPid], `a sidecar the extension no longer owns still runs: ${processEvidence(api)}`);
		assert.equal((await api.status()).pid, api.sidecarPid);
		await vscode.commands.executeCommand('notifications.clearAll');
	});

	test('a sidecar that dies right after answering initialize is restarted once, and its successor is left to run', async () => {
		// The client's own stop after a failed initialize used to race its restart: it ended the successor 2 s later
		// (a second crash counted for one), or stopped the client so that nothing restarted.
		await running(30_000);
		const real = fs.readFileSync(`/proc/${api.sidecarPid}/cmdline`, 'utf8').split('\0').filter(Boolean);
		const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'plue-dies-after-initialize-'));
		const starts = path.join(folder, 'starts');
		const relay = path.join(folder, 'relay.js');
		// The real sidecar behind a relay: the first start forwards the answer to initialize and dies at once (both
		// processes, SIGKILL); every later one passes everything through.
		fs.writeFileSync(relay, `
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const first = !fs.existsSync(${JSON.stringify(starts)});
fs.appendFileSync(${JSON.stringify(starts)}, process.pid + '\\n');
const real = ${JSON.stringify(real)};
const child = spawn(real[0], real.slice(1), { stdio: ['pipe', 'pipe', 'inherit'] });
process.stdin.pipe(child.stdin);
child.on('exit', code => process.exit(code ?? 1));
if (!first) {
	child.stdout.pipe(process.stdout);
} else {
	let held = Buffer.alloc(0);
	child.stdout.on('data', chunk => {
		held = Buffer.concat([held, chunk]);
		for (;;) {
			const header = held.indexOf('\\r\\n\\r\\n');
			const length = header < 0 ? NaN : Number(/Content-Length: (\\d+)/i.exec(held.subarray(0, header).toString())?.[1]);
			if (!(held.length >= header + 4 + length)) return;
			const message = held.subarray(0, header + 4 + length);
			held = held.subarray(header + 4 + length);
			fs.writeSync(1, message);
			if (message.includes('"capabilities"')) {
				child.kill('SIGKILL');
				process.kill(process.pid, 'SIGKILL');
			}
		}
	});
}
`);
		const program = path.join(folder, 'plue');
		fs.writeFileSync(program, `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(relay)}\n`, { mode: 0o755 });
		const started = () => fs.existsSync(starts) ? fs.readFileSync(starts, 'utf8').split('\n').filter(Boolean).map(Number) : [];
		const config = vscode.workspace.getConfiguration('plue');
		try {
			await config.update('sidecar.path', program, vscode.ConfigurationTarget.Global);
			await within(30_000, until(() => started().length >= 2 && api.state.kind === 'running' && api.sidecarPid === started()[1]), 'the successor to run')
				.catch((error: Error) => { throw new Error(`${error.message}; started ${started().join(', ')}; ${processEvidence(api)}`); });
			// Past the 2 s after which the client's stop would have ended it.
			await new Promise(resolve => setTimeout(resolve, 4000));
			assert.equal(started().length, 2, `started ${started().join(', ')}: the successor was ended, or one more started`);
			assert.deepEqual(api.state, { kind: 'running' });
			assert.equal(api.sidecarPid, started()[1]);
			assert.equal((await api.status()).version, api.client?.initializeResult?.serverInfo?.version);
		} finally {
			await config.update('sidecar.path', undefined, vscode.ConfigurationTarget.Global);
			await running(30_000);
			await vscode.commands.executeCommand('notifications.clearAll');
		}
	});

	test('a sidecar that closes its output and runs on is ended when its client starts the next, and none is left when it gives up', async () => {
		// A hung sidecar: its output closed (the client reads that as its end, and starts another) while it keeps running.
		const program = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'plue-hung-')), 'plue');
		fs.writeFileSync(program, '#!/bin/sh\nexec >&-\nwhile :; do sleep 1; done\n', { mode: 0o755 });
		const hung = () => runningChildren(args => args.includes(program));
		const config = vscode.workspace.getConfiguration('plue');
		try {
			await config.update('sidecar.path', program, vscode.ConfigurationTarget.Global);
			await within(30_000, until(() => api.state.kind === 'stopped' && api.state.error === 'it crashed repeatedly'), 'the extension to give up')
				.catch((error: Error) => { throw new Error(`${error.message}; ${processEvidence(api)}`); });
			// Each was ended as the next started, the last when the client gave up: SIGTERM, then SIGKILL after 2 s.
			await within(5_000, until(() => hung().length === 0), 'no hung sidecar to run').catch(() => undefined);
			assert.deepEqual(hung(), [], `hung sidecars still run: ${processEvidence(api)}`);
		} finally {
			await config.update('sidecar.path', undefined, vscode.ConfigurationTarget.Global);
			await running(30_000);
			await vscode.commands.executeCommand('notifications.clearAll');
			for (const pid of hung()) {
				process.kill(pid, 'SIGKILL');
			}
		}
	});

	test('plue.restartSidecar starts a new process', async () => {
		await running(10_000);
		const before = api.sidecarPid;
		await vscode.commands.executeCommand('plue.restartSidecar');
		await within(30_000, api.whenState('running'), 'the restarted sidecar');
		assert.notEqual(api.sidecarPid, before);
		assert.equal((await api.status()).pid, api.sidecarPid);
	});
});

/** The ids of the sidecars this extension host started that still run (zombies, reaped or not, are not listed). */
function sidecarsRunning(): number[] {
	return runningChildren(args => /\/plue(\.dll)?( |$)/.test(args));
}

/** The ids of the extension host's children whose command line `matches`, but zombies. */
function runningChildren(matches: (args: string) => boolean): number[] {
	return children().filter(child => !child.stat.startsWith('Z') && matches(child.args)).map(child => child.pid);
}

/** The extension host's child processes, as `ps` lists them. */
function children(): { pid: number; stat: string; args: string; line: string }[] {
	return execFileSync('ps', ['-o', 'pid=,stat=,etimes=,args=', '--ppid', String(process.pid)], { encoding: 'utf8' }).split('\n')
		.map(line => ({ line: line.trim(), match: /^\s*(\d+)\s+(\S+)\s+\d+\s+(.*)$/.exec(line) }))
		.filter(({ match }) => match !== null)
		.map(({ line, match }) => ({ pid: Number(match![1]), stat: match![2], args: match![3], line }));
}

/** What a failed count of sidecars shows: every child of the extension host (pid, state, seconds it has run, command) and the one the extension owns. */
function processEvidence(api: PlueApi): string {
	return `the extension owns ${api.sidecarPid ?? 'none'} (${JSON.stringify(api.state)}); the extension host's children:\n${children().map(child => `  ${child.line}`).join('\n') || '  none'}`;
}

suite('Plue trace', () => {
	test('a verbose trace shows initialize but never the vault key', async () => {
		const extension = vscode.extensions.getExtension<PlueApi>(extensionId);
		assert.ok(extension);
		const api = await extension.activate();
		// A secret stored makes the home's key (PLUE_HOME/vault.key), which the restarted sidecar then reads.
		await api.providers.storeKey('vault://trace-test/key', 'trace-test-secret-value');
		const home = process.env.PLUE_HOME ?? path.join(os.homedir(), '.plue');
		const key = fs.readFileSync(path.join(home, 'vault.key'), 'utf8').trim();
		const config = vscode.workspace.getConfiguration('plue');
		await config.update('trace.server', 'verbose', vscode.ConfigurationTarget.Global);
		try {
			await vscode.commands.executeCommand('plue.restartSidecar');
			await within(30_000, api.whenState('running'), 'the restarted sidecar');
			await api.status();
			const trace = await within(10_000, until(() => readTrace(api.logPath).includes(`Received response 'plue/status`)).then(() => readTrace(api.logPath)), 'the trace to be written');
			// Custom messages: a failing assertion must not print the trace, which would hold the key.
			assert.ok(/Sending request 'initialize/.test(trace), 'the verbose trace has no initialize request');
			assert.ok(!trace.includes(key), 'the verbose trace shows the home\'s vault key');
			assert.ok(!/"vaultKey": "[A-Za-z0-9+/=]{44}"/.test(trace), 'the verbose trace shows a vault key passed at initialize');
			assert.ok(!trace.includes('trace-test-secret-value'), 'the verbose trace shows a secret stored in the vault');
		} finally {
			await config.update('trace.server', undefined, vscode.ConfigurationTarget.Global);
		}
	});
});

