using System.Text.Json;
using Plue.Protocol;
using Plue.Vault;
using Plue.Workspace;

namespace Plue.Instances;

/// <summary>
/// Each instance's latest <c>instances/test</c>, kept in <c>PLUE_HOME/instance-tests.json</c> so the Providers view
/// still tells a failed instance from a working one after a restart. Not in the instance's record: a test is no
/// edit, and must neither bump its version nor fill its history. The file holds no secret (errors never quote a key).
/// Other sidecars on the same home write it too: each write reads the file again first, and replaces it whole.
/// </summary>
public sealed class InstanceTestLog(Func<string> home)
{
    private const string FileName = "instance-tests.json";
    private const int MaxFileBytes = 4 * 1024 * 1024;

    private readonly Lock _gate = new();
    private (DateTime Written, long Length, Dictionary<string, InstanceTestResult> Results)? _cache;

    private string FilePath => Path.Combine(home(), FileName);

    /// <summary>The instance's latest test; null when it was never tested (or the file is unreadable).</summary>
    public InstanceTestResult? Latest(string instanceId)
    {
        lock (_gate)
        {
            return Read().GetValueOrDefault(instanceId);
        }
    }

    public void Record(string instanceId, InstanceTestResult result) => Change(results => results[instanceId] = result);

    /// <summary>Forgets a deleted instance's test.</summary>
    public void Forget(string instanceId) => Change(results => results.Remove(instanceId));

    private void Change(Action<Dictionary<string, InstanceTestResult>> change)
    {
        lock (_gate)
        {
            var results = new Dictionary<string, InstanceTestResult>(Read(), StringComparer.Ordinal);
            change(results);
            // Private (0600) like every file of the home: a test's error may name hosts and accounts.
            AtomicFile.Write(FilePath, JsonSerializer.SerializeToUtf8Bytes(results, PlueJsonContext.Default.DictionaryStringInstanceTestResult));
            _cache = null;
        }
    }

    /// <summary>The file's results, parsed again only when it changed (any sidecar on the home may have written it).</summary>
    private Dictionary<string, InstanceTestResult> Read()
    {
        var file = new FileInfo(FilePath);
        if (!file.Exists) return [];
        if (_cache is { } cached && cached.Written == file.LastWriteTimeUtc && cached.Length == file.Length) return cached.Results;
        Dictionary<string, InstanceTestResult> results;
        try
        {
            // Bounded like every file read from the home: a FIFO put in its place must not hang instances/list.
            results = JsonSerializer.Deserialize(RegularFile.ReadBytes(file.FullName, MaxFileBytes).Span, PlueJsonContext.Default.DictionaryStringInstanceTestResult) ?? [];
        }
        catch (Exception e) when (e is JsonException or IOException or RegularFileException)
        {
            // A damaged file only loses what the tests said: every instance reads as untested until tested again.
            results = [];
        }
        _cache = (file.LastWriteTimeUtc, file.Length, results);
        return results;
    }
}
