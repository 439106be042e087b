/**
 * The integration suite's entry, in the @vscode/test-electron shape: the
 * workbench loads this file in the extension host and calls `run()`.
 * When PLUE_TEST_RESULTS names a file, the counts are written there as JSON,
 * because the code-server runner only learns the exit code from the workbench.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import Mocha from 'mocha';
import { askRunner } from './runner';

export interface SuiteResults {
	passed: number;
	failed: number;
	pending: number;
	tests: { title: string; state: 'passed' | 'failed' | 'pending'; durationMs?: number; error?: string }[];
}

export function run(): Promise<void> {
	return runSuite(__dirname);
}

/** Runs the `*.test.js` files of `dir` (another suite's entry passes its own folder). */
export function runSuite(dir: string): Promise<void> {
	// PLUE_TEST_GREP runs only the tests whose full title matches (e.g. "MCP"), for working on one area.
	const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 60_000, grep: process.env.PLUE_TEST_GREP || undefined });
	for (const file of fs.readdirSync(dir).filter(name => name.endsWith('.test.js')).sort()) {
		mocha.addFile(path.join(dir, file));
	}
	// Every test, in every file: the runner marks where the logs stood as it started and saves its evidence if it failed.
	mocha.suite.beforeEach(async function () {
		await askRunner('start', { title: this.currentTest?.fullTitle() }).catch(() => undefined);
	});
	mocha.suite.afterEach(async function () {
		const test = this.currentTest;
		if (test?.state === 'failed') {
			await askRunner('failed', { title: test.fullTitle(), error: test.err?.stack ?? test.err?.message }).catch(() => undefined);
		}
	});
	return new Promise((resolve, reject) => {
		const results: SuiteResults = { passed: 0, failed: 0, pending: 0, tests: [] };
		const runner = mocha.run(failures => {
			writeCoverage();
			writeResults(results);
			if (failures > 0) {
				reject(new Error(`${failures} integration test(s) failed.`));
				return;
			}
			resolve();
		});
		runner.on('pass', test => {
			results.passed++;
			results.tests.push({ title: test.fullTitle(), state: 'passed', durationMs: test.duration });
		});
		runner.on('pending', test => {
			results.pending++;
			results.tests.push({ title: test.fullTitle(), state: 'pending' });
		});
		runner.on('fail', (test, error: unknown) => {
			results.failed++;
			const message = error instanceof Error ? error.stack ?? error.message : String(error);
			results.tests.push({ title: test.fullTitle(), state: 'failed', durationMs: test.duration, error: message });
		});
	});
}

/**
 * Under NODE_V8_COVERAGE, writes the extension host's coverage now: the host is ended by a signal when
 * code-server stops, and a process ended that way writes none (scripts/lib/extensionCoverage.mjs reads it).
 */
function writeCoverage(): void {
	if (process.env.NODE_V8_COVERAGE) {
		v8.takeCoverage();
	}
}

function writeResults(results: SuiteResults): void {
	const file = process.env.PLUE_TEST_RESULTS;
	if (!file) {
		return;
	}
	fs.writeFileSync(file, JSON.stringify(results, null, 2));
}
