import { CloseAction, CloseHandlerResult, ErrorAction, ErrorHandler, ErrorHandlerResult, Message, ResponseError } from 'vscode-languageclient/node';

const maxRestarts = 5;
const windowMs = 3 * 60 * 1000;

/**
 * A client's error handler. A client never restarts its own sidecar: the client's restart raced its own stop after a
 * failed initialize (one death counted twice, the successor ended 2 s later, or nothing restarted at all). A crash is
 * told to the owner once instead (`onCrash`, which logs its words), and the owner starts the next sidecar with a new
 * client.
 */
export class CrashPolicy implements ErrorHandler {
	private _stopping = false;
	private _crashed = false;

	constructor(private readonly _onCrash: () => string) { }

	/** Whether this client's sidecar has crashed: its end is told once, whichever way it shows first. */
	get crashed(): boolean {
		return this._crashed;
	}

	error(error: Error, _message: Message | undefined, count: number | undefined): ErrorHandlerResult {
		// Writes to a sidecar that just died fail, one per message in flight; its exit or `closed` follows.
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

	/** The sidecar exited, or closed its output, without being asked: told to the owner once; undefined when not a crash. */
	crash(): string | undefined {
		if (this._stopping || this._crashed) {
			return undefined;
		}
		this._crashed = true;
		return this._onCrash();
	}

	closed(): CloseHandlerResult {
		const message = this.crash() ?? 'The sidecar was stopped.';
		return { action: CloseAction.DoNotRestart, message, handled: true };
	}
}

/** Crashes in the last 3 minutes, across the clients a crash starts; a restart asked for starts it again at none. */
export class CrashCount {
	private _at: number[] = [];

	/** Counts a crash; whether the sidecar may be started again (up to 5 times in 3 minutes). */
	restartAllowed(now = Date.now()): boolean {
		this._at = this._at.filter(at => now - at < windowMs);
		if (this._at.length >= maxRestarts) {
			return false;
		}
		this._at.push(now);
		return true;
	}

	get recent(): number {
		return this._at.length;
	}

	reset(): void {
		this._at = [];
	}
}

const closedPipeCodes = new Set(['EPIPE', 'ECONNRESET', 'ERR_STREAM_DESTROYED', 'ERR_STREAM_WRITE_AFTER_END']);
/** vscode-jsonrpc's code for a request pending when its connection went away. */
const pendingResponseRejected = -32097;

/** Whether a write failed because the other end of the pipe is gone. */
export function isClosedPipe(error: Error): boolean {
	return closedPipeCodes.has((error as NodeJS.ErrnoException).code ?? '');
}

/** Whether a start failed because the sidecar went away (its crash, told on its own), not because it refused. */
export function isGoneWhileStarting(error: unknown): boolean {
	return (error instanceof ResponseError && error.code === pendingResponseRejected) || (error instanceof Error && isClosedPipe(error));
}
