using Plue.Protocol;

namespace Plue.Transcripts;

/// <summary>The text of the parts that stream it (text, reasoning): it is stored in its own column, appended to.</summary>
internal static class PartText
{
    public static string? Of(MessagePart part) => part switch
    {
        TextPart text => text.Text,
        ReasoningPart reasoning => reasoning.Text,
        _ => null,
    };

    public static MessagePart With(MessagePart part, string? text) => part switch
    {
        TextPart t => t with { Text = text },
        ReasoningPart r => r with { Text = text },
        _ => part,
    };
}
