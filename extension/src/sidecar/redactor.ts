/**
 * Hides secrets from the "Plue Trace" channel. A verbose trace prints every
 * request's params, so it would show the vault key (initialize), API keys
 * (`vault/store`'s value, `instances/create`'s apiKey) and anything else sent.
 * Two nets: the exact values the extension itself sent (registered before
 * sending, JSON-escaped too, as the trace prints JSON), and the secret-bearing
 * fields by name, for a value sent by a path that forgot to register it.
 */
export class Redactor {
	private readonly _secrets = new Map<string, string>();

	/** Registers a secret; every later occurrence in a traced line becomes `label`. */
	add(secret: string, label = '«secret»'): void {
		if (secret.length < 4) {
			return; // too short to replace without mangling ordinary text; the field net still applies
		}
		this._secrets.set(secret, label);
		const escaped = JSON.stringify(secret).slice(1, -1);
		if (escaped !== secret) {
			this._secrets.set(escaped, label);
		}
	}

	redact(text: string): string {
		let result = text;
		// Longest first, so a secret containing another is replaced whole.
		for (const [secret, label] of [...this._secrets].sort((a, b) => b[0].length - a[0].length)) {
			result = result.split(secret).join(label);
		}
		result = result.replace(secretField, (_match, name: string) => `"${name}": "«secret»"`);
		if (result.includes('vault/store')) {
			result = result.replace(valueField, '"value": "«secret»"');
		}
		return result;
	}
}

/** JSON fields that only ever carry secrets, already-redacted ones excepted. */
const secretField = /"(apiKey|vaultKey|secret|password)":\s*"(?!«)(?:[^"\\]|\\.)*"/g;
/** `vault/store`'s value, redacted only in lines about that method. */
const valueField = /"value":\s*"(?!«)(?:[^"\\]|\\.)*"/g;
