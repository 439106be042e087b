/** Input-box checks shared by Add and Edit Provider Instance. */

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

/** Seconds, 1 to 3600. */
export function validateTimeoutSeconds(value: string): string | undefined {
	const seconds = Number(value.trim());
	return Number.isFinite(seconds) && seconds >= 1 && seconds <= 3600 ? undefined : 'Enter a number of seconds from 1 to 3600.';
}
