using Plue.Protocol;

namespace Plue.Instances;

/// <summary>
/// Each instance's latest <c>instances/test</c>, kept in <c>PLUE_HOME/instance-tests.json</c> so the Providers view
/// still tells a failed instance from a working one after a restart. Not in the instance's record: a test is no
/// edit, and must neither bump its version nor fill its history. The file holds no secret (errors never quote a key).
/// Other sidecars on the same home write it too: each write reads the file again first, and replaces it whole.
/// </summary>
public sealed class InstanceTestLog(Func<string> home)
{
    public const string FileName = "instance-tests.json";
    private const int MaxFileBytes = 4 * 1024 * 1024;

    // Private (0600) like every file of the home: a test's error may name hosts and accounts. A damaged file only loses
    // what the tests said: every instance reads as untested until tested again.
    private readonly SharedHomeFile<Dictionary<string, InstanceTestResult>> _file =
        new(() => Path.Combine(home(), FileName), PlueJsonContext.Default.DictionaryStringInstanceTestResult, MaxFileBytes, () => []);

    /// <summary>The instance's latest test; null when it was never tested (or the file is unreadable).</summary>
    public InstanceTestResult? Latest(string instanceId) => _file.Read().GetValueOrDefault(instanceId);

    public void Record(string instanceId, InstanceTestResult result) => Change(results => results[instanceId] = result);

    /// <summary>Forgets a deleted instance's test.</summary>
    public void Forget(string instanceId) => Change(results => results.Remove(instanceId));

    private void Change(Action<Dictionary<string, InstanceTestResult>> change) => _file.Change(current =>
    {
        var results = new Dictionary<string, InstanceTestResult>(current, StringComparer.Ordinal);
        change(results);
        return results;
    });
}
