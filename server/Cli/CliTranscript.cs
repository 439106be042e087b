using System.Text;
using Plue.Protocol;

namespace Plue.Cli;

/// <summary>A chat as markdown: a title, then each message under its author, tool calls and files named, superseded ones left out.</summary>
internal static class CliTranscript
{
    public static string Markdown(Session session, IReadOnlyList<SessionMessage> messages)
    {
        var md = new StringBuilder();
        md.Append("# ").AppendLine(session.Title).AppendLine();
        md.AppendLine($"{session.ModelId} · {messages.Count(m => m.Status != MessageStatus.Superseded)} messages · {CliFormat.Cost(session.CostUsd, session.CostSources)} · {CliFormat.When(session.CreatedAt)}").AppendLine();
        foreach (var m in messages.Where(m => m.Status != MessageStatus.Superseded))
        {
            md.Append("## ").AppendLine(m.Role switch { MessageRole.User => "You", MessageRole.System => "System", _ => m.ModelId ?? "Assistant" }).AppendLine();
            foreach (var part in m.Parts)
            {
                var text = part switch
                {
                    TextPart t => t.Text,
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
}
