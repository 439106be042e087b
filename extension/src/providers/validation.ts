/** Input-box checks of Add Provider Instance. */

/** An http(s) URL, or empty when the provider has a default to fall back on. */
export function validateEndpoint(value: string, emptyAllowed: boolean): string | undefined {
	const text = value.trim();
	if (text === '') {
		return emptyAllowed ? undefined : 'Enter the endpoint URL.';
	}
	let url: URL;
	try {
		url = new URL(text);
	} catch {
		return 'Enter a URL such as https://api.example.com/v1.';
	}
	return url.protocol === 'http:' || url.protocol === 'https:' ? undefined : 'The endpoint must be an http:// or https:// URL.';
}
