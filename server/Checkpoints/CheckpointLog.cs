using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Plue.Checkpoints;

/// <summary>
/// Each chat's and task's checkpoints, one JSON line per change appended to a 0600 file of its own
/// (<c>&lt;store&gt;/turns/&lt;id&gt;.jsonl</c>): appending never rewrites what a long chat recorded before.
/// </summary>
internal sealed class CheckpointLog(string folder)
{
    public void Append(CheckpointEntry entry)
    {
        Directory.CreateDirectory(folder);
        var path = PathOf(entry.Owner);
        var line = JsonSerializer.Serialize(entry, CheckpointJsonContext.Default.CheckpointEntry) + "\n";
        var options = new FileStreamOptions { Mode = FileMode.Append, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using var stream = new FileStream(path, options);
        stream.Write(Encoding.UTF8.GetBytes(line));
    }

    /// <summary>The owner's entries, oldest first; a line cut short by a crash is skipped.</summary>
    public List<CheckpointEntry> Read(string owner)
    {
        var path = PathOf(owner);
        var entries = new List<CheckpointEntry>();
        if (!File.Exists(path)) return entries;
        foreach (var line in File.ReadLines(path))
        {
            if (line.Length == 0) continue;
            try
            {
                if (JsonSerializer.Deserialize(line, CheckpointJsonContext.Default.CheckpointEntry) is { } entry) entries.Add(entry);
            }
            catch (JsonException)
            {
                // A partial last line: the change it would have named was not finished.
            }
        }
        return entries;
    }

    /// <summary>Ids are record ids; anything else is hashed, so a name can never leave the folder.</summary>
    private string PathOf(string owner) =>
        Path.Combine(folder, (owner.Length <= 100 && owner.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_') ? owner : Hash(owner)) + ".jsonl");

    public static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..24];
}
