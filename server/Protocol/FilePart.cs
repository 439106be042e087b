namespace Plue.Protocol;

/// <summary>An attached file, selection or image (then <see cref="Content"/> is base64 bytes of <see cref="MimeType"/>).</summary>
public sealed record FilePart : MessagePart
{
    public string? Path { get; init; }
    public string? Content { get; init; }
    public string? Language { get; init; }
    public LineRange? Range { get; init; }
    public string? MimeType { get; init; }
    /// <summary>What the attachment is, shown beside its path: a fetched page's size, a codebase search's words and chunks.</summary>
    public string? Note { get; init; }
}
