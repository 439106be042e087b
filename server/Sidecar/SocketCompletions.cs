namespace Plue.Sidecar;

/// <summary>
/// Socket reads complete on the runtime's socket thread, not on a pool thread it wakes for each. A streamed delta
/// then costs one thread wake-up (the socket thread's, as the provider's write arrives) instead of three (the socket
/// thread, the pool worker it queued the read's completion to, and the second worker the pool wakes for any work it
/// finds): most of its CPU on a VM, where each wake-up is tens of µs. The runtime reads the switch once, when the first
/// socket is made, so it is set before anything else runs. Its cost is that code after a socket read runs on that
/// thread, holding other connections' reads meanwhile: the work between reads is parsing and folding a delta, and an
/// answer's end (storing it, running tools) moves to the pool (<see cref="Rpc.SocketThread.Leave"/>). Code that blocks there
/// waiting for other I/O deadlocks: a pipe's async read completes on a socket thread too, maybe the blocked one. A user who set the variable, to 0 or 1, keeps their choice. It is not passed to children (they get
/// only a named set of variables: <see cref="Processes.ChildEnvironment"/>).
/// </summary>
public static class SocketCompletions
{
    public const string Variable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    public static void Inline()
    {
        if (Environment.GetEnvironmentVariable(Variable) is null) Environment.SetEnvironmentVariable(Variable, "1");
    }
}
