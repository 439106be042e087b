/**
 * What the suite asks of runInCodeServer.mjs, which drives the page (PLUE_TEST_EVIDENCE_URL): to mark and save a
 * failed test's evidence, and what the workbench shows (a quick input), which the extension host cannot see.
 */
import * as http from 'node:http';

/** POSTs `body` to the runner's `what`; its JSON answer, or undefined when the suite runs without the runner. */
export function askRunner<T>(what: string, body: object): Promise<T | undefined> {
	const url = process.env.PLUE_TEST_EVIDENCE_URL;
	if (!url) {
		return Promise.resolve(undefined);
	}
	return new Promise<T | undefined>((resolve, reject) => {
		const request = http.request(`${url}/${what}`, { method: 'POST', timeout: 60_000 }, response => {
			let text = '';
			response.on('data', chunk => { text += String(chunk); });
			response.on('end', () => {
				if (response.statusCode !== 200) {
					reject(new Error(text || `the runner answered ${what} with ${response.statusCode}`));
				} else {
					resolve(text ? JSON.parse(text) as T : undefined);
				}
			});
		});
		request.on('error', reject);
		request.on('timeout', () => request.destroy(new Error(`the runner did not answer ${what}`)));
		request.end(JSON.stringify(body));
	});
}
