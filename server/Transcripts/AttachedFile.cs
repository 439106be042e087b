using System.Text;
using Plue.Protocol;

namespace Plue.Transcripts;

/// <summary>An attached file or selection as the model reads it, in a chat's message and in a task's goal alike.</summary>
public static class AttachedFile
{
    /// <summary>Where it is from, then its text, fenced so that a fence inside it does not end it.</summary>
    public static string Text(FilePart part)
    {
        var where = part.Range is { } r ? $"{part.Path}:{r.StartLine}-{r.EndLine}" : part.Path;
        var fence = part.Content?.Contains("```", StringComparison.Ordinal) == true ? "~~~~" : "```";
        return new StringBuilder()
            .Append("Attached ").Append(part.Range is null ? "file" : "selection").Append(' ').Append(where).Append(":\n")
            .Append(fence).Append(part.Language).Append('\n').Append(part.Content).Append('\n').Append(fence).ToString();
    }
}
