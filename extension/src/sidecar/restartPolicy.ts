import { CloseAction, CloseHandlerResult, ErrorAction, ErrorHandler, ErrorHandlerResult, Message } from 'vscode-languageclient/node';

const maxRestarts = 5;
const windowMs = 3 * 60 * 1000;

/**
 * Restarts a crashed sidecar up to 5 times in 3 minutes; after that it stops
 * and lets the owner offer a manual restart (the client's own message is suppressed).
 */
export class RestartPolicy implements ErrorHandler {
	private _restarts: number[] = [];
	private _stopping = false;

	constructor(private readonly _onGiveUp: () => void) { }

	error(error: Error, _message: Message | undefined, count: number | undefined): ErrorHandlerResult {
		// Writes to a sidecar that just died fail, one per message in flight; `closed` follows and restarts it,
		// while shutting down here would leave it stopped for good.
		if (isClosedPipe(error)) {
			return { action: ErrorAction.Continue };
		}
		// A few bad messages are survivable; a stream that keeps failing is not.
		return { action: count !== undefined && count <= 3 ? ErrorAction.Continue : ErrorAction.Shutdown };
	}

	/** The owner is stopping this client: its sidecar's close is not a crash. */
	stopping(): void {
		this._stopping = true;
	}

	closed(): CloseHandlerResult {
		if (this._stopping) {
			return { action: CloseAction.DoNotRestart, handled: true };
		}
		const now = Date.now();
		this._restarts = this._restarts.filter(at => now - at < windowMs);
		if (this._restarts.length >= maxRestarts) {
			this._onGiveUp();
			return { action: CloseAction.DoNotRestart, handled: true };
		}
		this._restarts.push(now);
		return { action: CloseAction.Restart, handled: true };
	}
}

const closedPipeCodes = new Set(['EPIPE', 'ECONNRESET', 'ERR_STREAM_DESTROYED', 'ERR_STREAM_WRITE_AFTER_END']);

/** Whether a write failed because the other end of the pipe is gone. */
export function isClosedPipe(error: Error): boolean {
	return closedPipeCodes.has((error as NodeJS.ErrnoException).code ?? '');
}
