using System.Globalization;

namespace Plue.Providers.ClaudeCode;

/// <summary>
/// How many claude CLI processes a sidecar keeps alive between turns, and for how long: each holds ~200 MB and some
/// CPU while idle. A process past <see cref="IdleTimeout"/> or beyond <see cref="MaxIdle"/> (least recently used first)
/// is closed; the chat's next turn starts a new one that resumes the conversation (<c>--resume</c>).
/// </summary>
public sealed record ClaudeCodeLimits
{
    public const string IdleSecondsVariable = "PLUE_CLAUDE_IDLE_SECONDS";
    public const string MaxIdleVariable = "PLUE_CLAUDE_MAX_IDLE";

    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Processes waiting for a follow-up turn at most; ones running a turn are never closed for the cap.</summary>
    public int MaxIdle { get; init; } = 3;

    /// <summary>The defaults, overridden by <c>PLUE_CLAUDE_IDLE_SECONDS</c> and <c>PLUE_CLAUDE_MAX_IDLE</c> (the extension's settings).</summary>
    public static ClaudeCodeLimits FromEnvironment()
    {
        var limits = new ClaudeCodeLimits();
        if (Number(IdleSecondsVariable) is { } seconds) limits = limits with { IdleTimeout = TimeSpan.FromSeconds(seconds) };
        if (Number(MaxIdleVariable) is { } max) limits = limits with { MaxIdle = max };
        return limits;
    }

    private static int? Number(string variable) =>
        int.TryParse(Environment.GetEnvironmentVariable(variable), NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;
}
