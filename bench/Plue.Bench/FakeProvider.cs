using System.Diagnostics;

namespace Plue.Bench;

/// <summary>
/// The loopback fake OpenAI endpoint in its own process, so its CPU time can be read: the provider's own cost per delta
/// is the floor for the sidecar's. Either plue-floor (<c>plue-floor provider</c>) or bench/fake-writer's C program (an
/// executable named sse-writer, which takes no arguments).
/// </summary>
internal sealed class FakeProvider : IDisposable
{
    private readonly Process _process;

    private FakeProvider(Process process, int port)
    {
        _process = process;
        BaseUrl = $"http://127.0.0.1:{port}/v1";
    }

    public string BaseUrl { get; }

    public TimeSpan CpuTime => ProcessFigures.CpuTime(_process);

    public static FakeProvider Start(string floor)
    {
        string[] args = Path.GetFileName(floor) == "sse-writer" ? [] : ["provider"];
        var info = new ProcessStartInfo(Launch.Program(floor), Launch.Arguments(floor, args)) { RedirectStandardOutput = true, UseShellExecute = false };
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start the fake provider");
        var port = int.Parse(process.StandardOutput.ReadLine() ?? throw new InvalidOperationException("the fake provider printed no port"),
            System.Globalization.CultureInfo.InvariantCulture);
        return new FakeProvider(process, port);
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill();
        _process.WaitForExit();
        _process.Dispose();
    }
}
