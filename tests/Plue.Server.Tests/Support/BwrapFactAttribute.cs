using Plue.Sandbox;

namespace Plue.Tests.Support;

/// <summary>
/// A fact about the sandbox itself: run where bubblewrap can make a sandbox, reported skipped elsewhere with the reason
/// the sidecar gives its users (not Linux, bwrap not installed, unprivileged user namespaces blocked as on Ubuntu
/// 24.04, or <c>PLUE_SANDBOX=off</c>). A sandbox test that returned early would count as passed without testing
/// anything; CI lifts Ubuntu's restriction so these run there.
/// </summary>
public sealed class BwrapFactAttribute : FactAttribute
{
    public BwrapFactAttribute()
    {
        if (Bubblewrap.Executable is null) Skip = BwrapSkip.Reason;
    }
}

/// <summary>A theory about the sandbox itself: run where bubblewrap can make a sandbox, reported skipped elsewhere.</summary>
public sealed class BwrapTheoryAttribute : TheoryAttribute
{
    public BwrapTheoryAttribute()
    {
        if (Bubblewrap.Executable is null) Skip = BwrapSkip.Reason;
    }
}

internal static class BwrapSkip
{
    public static string Reason => $"Needs a working bubblewrap: {Bubblewrap.Missing}";
}
