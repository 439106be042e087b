using System.Text;
using Plue.Acp;
using Plue.Protocol;
using Plue.Rpc;

namespace Plue.Cli.Acp;

/// <summary>
/// An ACP prompt as a Plue message: text blocks are its text, an embedded text resource is an attached file, an image is
/// an attached image, a link to a resource is named in the text (the chat's read tool can open it).
/// </summary>
internal static class AcpPrompt
{
    public static (string Text, IReadOnlyList<Attachment> Attachments) Read(IReadOnlyList<AcpContentBlock> prompt)
    {
        var text = new StringBuilder();
        var attachments = new List<Attachment>();
        foreach (var block in prompt)
        {
            switch (block.Type)
            {
                case "text":
                    Append(text, block.Text ?? "");
                    break;
                case "image" when block.Data is { } data && block.MimeType is { } mime:
                    attachments.Add(new Attachment { Kind = AttachmentKind.Image, Path = PathOf(block.Uri) ?? "image", MimeType = mime, Data = data });
                    break;
                case "resource" when block.Resource is { Text: { } content } resource:
                    attachments.Add(new Attachment { Kind = AttachmentKind.File, Path = PathOf(resource.Uri) ?? resource.Uri, Content = content, MimeType = resource.MimeType });
                    break;
                case "resource" when block.Resource is { Blob: { } blob, MimeType: { } mime } resource && mime.StartsWith("image/", StringComparison.Ordinal):
                    attachments.Add(new Attachment { Kind = AttachmentKind.Image, Path = PathOf(resource.Uri) ?? resource.Uri, MimeType = mime, Data = blob });
                    break;
                case "resource_link" when block.Uri is { } uri:
                    Append(text, $"@{PathOf(uri) ?? uri}");
                    break;
                default:
                    throw RpcException.InvalidParams($"prompt: a '{block.Type}' block is not something Plue takes (text, image, resource and resource_link are); send it as text or a resource.");
            }
        }
        if (text.Length == 0 && attachments.Count == 0) throw RpcException.InvalidParams("prompt: it is empty; send at least one text block.");
        return (text.ToString(), attachments);
    }

    private static void Append(StringBuilder text, string more)
    {
        if (text.Length > 0 && more.Length > 0) text.Append('\n');
        text.Append(more);
    }

    /// <summary>A file: URI's path; null for anything else.</summary>
    private static string? PathOf(string? uri) =>
        uri is not null && Uri.TryCreate(uri, UriKind.Absolute, out var parsed) && parsed.IsFile ? parsed.LocalPath : null;
}
