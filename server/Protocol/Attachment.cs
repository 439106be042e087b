namespace Plue.Protocol;

/// <summary>Something the user attached to a message.</summary>
public sealed record Attachment
{
    public required AttachmentKind Kind { get; init; }
    public required string Path { get; init; }
    public string? Content { get; init; }
    public string? Language { get; init; }
    public LineRange? Range { get; init; }
    public string? MimeType { get; init; }
    /// <summary>image: base64 bytes.</summary>
    public string? Data { get; init; }
    /// <summary>What the attachment is (set by the sidecar for <c>url</c> and <c>codebase</c>: the page's size, the chunks found).</summary>
    public string? Note { get; init; }
}
