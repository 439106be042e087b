namespace Plue.Providers.ClaudeCode;

/// <summary>
/// What a CLI process is started with. A session reuses its process while a turn asks for the same launch
/// and restarts it otherwise (these are argv flags, fixed for the process's life).
/// </summary>
public sealed record ClaudeCodeLaunch
{
    public required string CliPath { get; init; }
    public required string WorkingDirectory { get; init; }
    public required string Model { get; init; }
    public int? MaxTurns { get; init; }
    public string? SystemPrompt { get; init; }
    /// <summary>The <c>--tools</c> list, e.g. "Read,Edit"; null for the CLI's default set.</summary>
    public string? Tools { get; init; }

    /// <summary>
    /// The argv after the executable. Never a prompt or a secret: those go over stdin, a file and the environment
    /// (<paramref name="systemPromptFile"/> holds <see cref="SystemPrompt"/>).
    /// </summary>
    public IReadOnlyList<string> Arguments(string? systemPromptFile)
    {
        List<string> args = ["-p", "--output-format", "stream-json", "--verbose", "--include-partial-messages",
            "--input-format", "stream-json", "--model", Model, "--permission-prompt-tool", "stdio"];
        if (MaxTurns is { } maxTurns) args.AddRange(["--max-turns", maxTurns.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        if (systemPromptFile is not null) args.AddRange(["--system-prompt-file", systemPromptFile]);
        if (Tools is not null) args.AddRange(["--tools", Tools]);
        return args;
    }
}
