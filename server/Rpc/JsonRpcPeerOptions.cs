namespace Plue.Rpc;

public sealed record JsonRpcPeerOptions
{
    /// <summary>A larger announced body closes the connection without allocating it.</summary>
    public int MaxMessageBytes { get; init; } = 64 * 1024 * 1024;

    /// <summary>Enforce the LSP lifecycle (off for peers that are plain JSON-RPC, such as tests' clients).</summary>
    public bool RequireInitialize { get; init; } = true;

    /// <summary>How messages are delimited: LSP headers (the extension) or one per line (ACP on stdio).</summary>
    public Framing Framing { get; init; } = Framing.Lsp;

    /// <summary>
    /// The notification that cancels a request, both ways: LSP's <c>$/cancelRequest</c>, or ACP's <c>$/cancel_request</c>.
    /// </summary>
    public NotificationType<CancelParams> CancelNotification { get; init; } = RpcMethods.CancelNotification;

    /// <summary>
    /// Turns a failure a handler did not expect into an error in the user's words (a store held by another process),
    /// or null to answer it as an internal error.
    /// </summary>
    public Func<Exception, RpcException?>? Explain { get; init; }

    /// <summary>
    /// Whether the output has room for a frame of so many bytes now (<see cref="OutputRoom"/>): then its sender writes it
    /// instead of waking the writer's loop. Null: every frame goes through the loop.
    /// </summary>
    public Func<int, bool>? OutputRoom { get; init; }

    /// <summary>
    /// Methods whose requests take effect in the order they were written on the connection: each gets an
    /// <see cref="ArrivalTurn"/> (<see cref="RequestContext.Turn"/>) as it is read.
    /// </summary>
    public IReadOnlySet<string> InArrivalOrder { get; init; } = new HashSet<string>();

    /// <summary>
    /// Told each notification's method once it is queued for the client: the one place the start watches the peer from
    /// (its steps, the first streamed delta), so no feature that sends a notification calls the start's helpers.
    /// </summary>
    public Action<string>? NotificationWritten { get; init; }

    /// <summary>Told each request's method once its answer is queued for the client (the start's steps watch it there).</summary>
    public Action<string>? RequestAnswered { get; init; }
}
