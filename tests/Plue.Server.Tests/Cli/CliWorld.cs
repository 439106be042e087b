using System.CommandLine;
using System.Text;
using Plue.Cli;
using Plue.Tests.Fakes;
using Plue.Tests.Support;

namespace Plue.Tests.Cli;

/// <summary>What one <c>plue</c> command did: its exit code and what it wrote to stdout and stderr.</summary>
internal sealed record CliResult(int Code, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {Code}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
}

/// <summary>
/// The <c>plue</c> command line run in this process as a user runs it: the real root command parsing the arguments,
/// the whole sidecar it starts on a temp home (real SQLite, the vault's key file), a temp workspace folder, stdin as
/// given and stdout and stderr captured; a loopback OpenAI-compatible provider for its instances.
/// </summary>
internal sealed class CliWorld : IAsyncDisposable
{
    public const string Key = "sk-test-cli-0123456789abcdef";

    private readonly TempDir _root = new();

    public CliWorld()
    {
        Home = Path.Combine(_root.Path, "home");
        Workspace = Directory.CreateDirectory(Path.Combine(_root.Path, "ws")).FullName;
    }

    public string Home { get; }
    public string Workspace { get; }
    public FakeOpenAIServer Fake { get; } = new();

    /// <summary>Runs <c>plue ARGS --home HOME</c> with <paramref name="stdin"/> piped in (nothing: an empty pipe).</summary>
    public Task<CliResult> RunAsync(params string[] args) => RunAsync(new CliInput(""), args);

    /// <summary>Runs it with <paramref name="input"/> on stdin, piped or typed at a terminal that asks.</summary>
    public async Task<CliResult> RunAsync(CliInput input, params string[] args)
    {
        using var stdout = new MemoryStream();
        using var stdin = new MemoryStream(input.Bytes);
        var (code, stderr) = await RunAsync(stdout, stdin, input.Typed, args);
        return new CliResult(code, Encoding.UTF8.GetString(stdout.ToArray()), stderr);
    }

    /// <summary>Runs it on the given stdout and stdin (a protocol served on them); its exit code and stderr.</summary>
    public async Task<(int Code, string Stderr)> RunAsync(Stream stdout, Stream stdin, bool typed, params string[] args)
    {
        var stderr = new StringWriter();
        var error = TextWriter.Synchronized(stderr);
        var terminal = new CliTerminal(stdout, error, stdin, typed);
        var parsed = CliApp.Build(terminal, Workspace).Parse([.. args, "--home", Home]);
        var code = await parsed.InvokeAsync(new InvocationConfiguration { Output = terminal.Out, Error = error, ProcessTerminationTimeout = null });
        return (code, stderr.ToString());
    }

    /// <summary><c>plue instances add openai</c> on the loopback fake, its key piped in; fails the test if it fails.</summary>
    public async Task AddInstanceAsync(string name = "Loopback", string model = "gpt-test", string? endpoint = null)
    {
        var added = await RunAsync(new CliInput(Key + "\n"), "instances", "add", "openai", "--name", name, "--endpoint", endpoint ?? Fake.Endpoint, "-m", model, "--key-stdin");
        Assert.True(added.Code == 0, added.ToString());
    }

    public async ValueTask DisposeAsync()
    {
        await Fake.DisposeAsync();
        _root.Dispose();
    }
}

/// <summary>Stdin for a command: <paramref name="Text"/> piped in, or typed line by line at a terminal that asks (<paramref name="Typed"/>).</summary>
internal sealed record CliInput(string Text, bool Typed = false)
{
    public byte[] Bytes { get; init; } = Encoding.UTF8.GetBytes(Text);
}
