using Plue.Sandbox;

namespace Plue.Tests.Support;

/// <summary>
/// The machine's sandbox, for the door tests that run on each system's (<c>SandboxDoorsTests</c>): bubblewrap on Linux,
/// Seatbelt (<c>sandbox-exec</c>) on macOS; and node, which their probes are written in.
/// </summary>
public static class MachineSandbox
{
    /// <summary>Why the door tests cannot run here; null when they can.</summary>
    public static string? Missing =>
        Bubblewrap.Executable is null && Seatbelt.Executable is null ? $"No sandbox on this machine ({Bubblewrap.Missing}): the doors are checked where bubblewrap or sandbox-exec runs"
        : Node is null ? "node is not on PATH: the door tests' probes are node scripts"
        : null;

    /// <summary>Whether it is Seatbelt (macOS) rather than bubblewrap.</summary>
    public static bool IsSeatbelt => Bubblewrap.Executable is null && Seatbelt.Executable is not null;

    /// <summary>The error a refused write gets: bubblewrap's read-only mount answers EROFS, Seatbelt's rule EPERM.</summary>
    public static string RefusedWrite => IsSeatbelt ? "EPERM" : "EROFS";

    public static string? Node { get; } =
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, "node")).FirstOrDefault(File.Exists);
}

/// <summary>A fact run through the machine's sandbox (<see cref="MachineSandbox"/>), skipped saying why where there is none.</summary>
public sealed class SandboxFactAttribute : FactAttribute
{
    public SandboxFactAttribute()
    {
        if (MachineSandbox.Missing is { } why) Skip = why;
    }
}

/// <summary>A theory run through the machine's sandbox, skipped saying why where there is none.</summary>
public sealed class SandboxTheoryAttribute : TheoryAttribute
{
    public SandboxTheoryAttribute()
    {
        if (MachineSandbox.Missing is { } why) Skip = why;
    }
}

/// <summary>A fact of bubblewrap's own doors (a network namespace, its mounts), skipped saying why where it is not the sandbox.</summary>
public sealed class BubblewrapFactAttribute : FactAttribute
{
    public BubblewrapFactAttribute(string why)
    {
        if (Bubblewrap.Executable is null || MachineSandbox.Node is null) Skip = $"Bubblewrap only ({why}); {MachineSandbox.Missing ?? "this machine's sandbox is not bubblewrap"}";
    }
}
