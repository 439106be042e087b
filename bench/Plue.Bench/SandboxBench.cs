using System.Diagnostics;
using Plue.Processes;
using Plue.Sandbox;

namespace Plue.Bench;

/// <summary>
/// What the sandbox adds to one <c>bash</c> call: the command the launcher makes under workspace-write (bubblewrap in
/// front, the home and a Plue home hidden, a workspace bound back, no network), started as the bash tool starts it
/// (setsid, stdio piped, read to the end), beside bubblewrap's own cost with the same mounts (its floor) and beside the
/// call unsandboxed; interleaved in one run. Linux with bubblewrap only.
/// </summary>
internal static class SandboxBench
{
    public static async Task AddFiguresAsync(Figures figures, bool isShort)
    {
        if (Bubblewrap.Executable is not { } bwrap)
        {
            Console.WriteLine($"sandbox: no figure ({Bubblewrap.Missing})");
            return;
        }
        var root = Directory.CreateTempSubdirectory("plue-bench-sandbox-").FullName;
        try
        {
            var workspace = Directory.CreateDirectory(Path.Combine(root, "ws")).FullName;
            var plueHome = Directory.CreateDirectory(Path.Combine(root, "plue-home")).FullName;
            var setsid = new[] { "/usr/bin/setsid", "/bin/setsid" }.FirstOrDefault(File.Exists);
            ChildCommand Call(SandboxPolicy policy) => new()
            {
                Program = "/bin/bash",
                Arguments = ["-c", "true"],
                WorkingDirectory = workspace,
                Environment = env => ChildEnvironment.Apply(env),
                Policy = policy,
                Places = new SandboxPlaces { Roots = [workspace], Hidden = [plueHome] },
                Setsid = setsid,
            };
            var sandboxed = ChildLauncher.StartInfo(Call(SandboxPolicy.WorkspaceWrite));
            var bare = ChildLauncher.StartInfo(Call(SandboxPolicy.Off));
            var floor = new ProcessStartInfo(bwrap)
            {
                RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            };
            foreach (var arg in "--ro-bind / / --dev /dev --proc /proc --tmpfs /tmp --unshare-net bash -c true".Split(' ')) floor.ArgumentList.Add(arg);
            var rounds = isShort ? 40 : 200;
            await figures.CompareEachAsync("bash call, sandboxed (workspace-write)", "ms", rounds, 10, () => RunAsync(sandboxed),
                [("bwrap, same mounts (floor)", () => RunAsync(floor)), ("bash call, unsandboxed", () => RunAsync(bare))], "floor+2 ms");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>Starts it, reads its output to the end and waits for it: what one call costs, in ms.</summary>
    private static async Task<double> RunAsync(ProcessStartInfo start)
    {
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{start.FileName} did not start");
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await Task.WhenAll(output, error).ConfigureAwait(false);
        await process.WaitForExitAsync().ConfigureAwait(false);
        if (process.ExitCode != 0) throw new InvalidOperationException($"{start.FileName} failed ({process.ExitCode}): {await error.ConfigureAwait(false)}");
        return clock.Elapsed.TotalMilliseconds;
    }
}
