using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Plue.Protocol;

/// <summary>
/// A chat as markdown: a title, then each message under its author, tool calls and files named, superseded ones left
/// out. The one writer of <c>session/export</c>'s markdown and the command line's transcripts.
/// </summary>
public static partial class TranscriptMarkdown
{
    [GeneratedRegex(@"^([ \t]{0,3}[-*+][ \t]+\[)[ xX](\][ \t]+)(\S.*?)([ \t\r]*)$", RegexOptions.Multiline)]
    private static partial Regex ChecklistLine();

    public static string Write(Session session, IReadOnlyList<SessionMessage> messages)
    {
        var md = new StringBuilder();
        md.Append("# ").AppendLine(session.Title).AppendLine();
        var when = session.CreatedAt.ToLocalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
        md.AppendLine($"{session.ModelId} · {messages.Count(m => m.Status != MessageStatus.Superseded)} messages · {CostText.Of(session.CostUsd, session.CostSources)} · {when}").AppendLine();
        foreach (var m in messages.Where(m => m.Status != MessageStatus.Superseded))
        {
            md.Append("## ").AppendLine(m.Role switch { MessageRole.User => "You", MessageRole.System => "System", _ => m.ModelId ?? "Assistant" }).AppendLine();
            var plan = m.Parts.OfType<PlanPart>().LastOrDefault();
            foreach (var part in m.Parts)
            {
                var text = part switch
                {
                    TextPart t => plan is null || t.Text is null ? t.Text : Ticked(t.Text, plan),
                    FilePart f => $"_Attached: {f.Path}_",
                    ToolUsePart u => $"_Tool: {u.Name} {u.Input?.ToJsonString()}_",
                    ToolResultPart r => $"```\n{r.Output}\n```",
                    _ => null,
                };
                if (!string.IsNullOrEmpty(text)) md.AppendLine(text).AppendLine();
            }
            if (m.Status is MessageStatus.Error) md.AppendLine($"_Failed: {m.Error}_").AppendLine();
            if (m.Status is MessageStatus.Cancelled or MessageStatus.Interrupted) md.AppendLine("_Stopped_").AppendLine();
        }
        return md.ToString();
    }

    /// <summary>The answer's checklist with each step's box as its plan card shows it (the agent ticks the card, not the text).</summary>
    private static string Ticked(string text, PlanPart plan) => ChecklistLine().Replace(text, line =>
        plan.Items.FirstOrDefault(i => i.Text == line.Groups[3].Value) is { } item
            ? $"{line.Groups[1].Value}{(item.Done ? 'x' : ' ')}{line.Groups[2].Value}{line.Groups[3].Value}{line.Groups[4].Value}"
            : line.Value);

}
