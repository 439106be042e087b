using System.Globalization;
using Plue.Codex.Content;

namespace Plue.Catalog;

/// <summary>
/// The copy of a user catalog file kept before each change to it (<c>catalog/backups/&lt;id&gt;.&lt;time&gt;.json</c>,
/// the latest <see cref="Kept"/> of each), so a file changed or deleted by mistake, or edited by hand and then saved
/// over from a form, can be put back.
/// </summary>
public static class CatalogBackups
{
    /// <summary>How many backups of one file are kept; older ones go.</summary>
    public const int Kept = 20;

    public const string Folder = "backups";

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode PrivateDir = OwnerOnly | UnixFileMode.UserExecute;

    /// <summary>
    /// Copies <paramref name="path"/> aside when it exists; returns the copy's path, else null. Throws
    /// <see cref="IOException"/> when the backups folder is a link leading out of the catalog folder: nothing is
    /// written through it.
    /// </summary>
    public static string? Keep(string path)
    {
        if (!File.Exists(path)) return null;
        var catalogDir = Path.GetDirectoryName(path)!;
        var dir = Path.Combine(catalogDir, Folder);
        if (new DirectoryInfo(dir) is { LinkTarget: not null } or { Exists: true } && ConfinedPath.Resolve(catalogDir, Folder) is null)
            throw new IOException($"{dir} leads outside {catalogDir} (a link?), and backups are only written inside it; remove it to have backups kept again");
        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(dir);
        else Directory.CreateDirectory(dir, PrivateDir);
        var stem = Path.GetFileNameWithoutExtension(path);
        var stamp = DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmssfff", CultureInfo.InvariantCulture);
        var target = Path.Combine(dir, $"{stem}.{stamp}.json");
        for (var n = 2; File.Exists(target); n++) target = Path.Combine(dir, $"{stem}.{stamp}-{n}.json");
        File.Copy(path, target);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(target, OwnerOnly);
        foreach (var old in Of(dir, stem).Skip(Kept)) File.Delete(old);
        return target;
    }

    /// <summary>The backups of the file <c>&lt;stem&gt;.json</c> in <paramref name="backupDir"/>, newest first.</summary>
    public static IReadOnlyList<string> Of(string backupDir, string stem) => Directory.Exists(backupDir)
        ? [.. Directory.GetFiles(backupDir, stem + ".*.json").Where(f => IsOf(f, stem)).OrderDescending(StringComparer.Ordinal)]
        : [];

    // "my.gateway.2026….json" is not a backup of "my": what follows the stem must be the stamp alone.
    private static bool IsOf(string file, string stem)
    {
        var rest = Path.GetFileNameWithoutExtension(file)[(stem.Length + 1)..];
        return rest.Length >= 18 && char.IsAsciiDigit(rest[0]) && !rest.Contains('.');
    }
}
