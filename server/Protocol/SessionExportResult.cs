namespace Plue.Protocol;

public sealed record SessionExportResult
{
    /// <summary>The whole chat in the format asked for.</summary>
    public required string Text { get; init; }
    /// <summary>A file name for it, from the chat's title (<c>Fix-the-build.md</c>).</summary>
    public required string FileName { get; init; }
}
