using System.Text;
using System.Text.Json;
using Plue.Protocol;
using Plue.Rpc;
using Plue.Transcripts;

namespace Plue.Sessions;

/// <summary>
/// A chat written out whole (<c>session/export</c>, and <c>plue sessions export</c> through it: one implementation):
/// markdown (a title, then each message under its author, tool calls and files named, superseded ones left out) or
/// JSON (<c>{session, messages}</c>, every message with its parts, as the contract types them).
/// </summary>
public sealed class ChatExport(SessionService sessions, MessageStore messages)
{
    public SessionExportResult Export(SessionExportParams request)
    {
        var format = request.Format ?? "markdown";
        if (format is not ("markdown" or "md" or "json")) throw RpcException.InvalidParams($"format: '{format}' is not one of markdown or json");
        var session = sessions.Get(request.Id);
        var transcript = messages.Page(sessions.Record(request.Id).Id, null, null).Messages;
        var json = format == "json";
        return new SessionExportResult
        {
            Text = json ? Json(session, transcript) : Markdown(session, transcript),
            FileName = FileName(session, json ? ".json" : ".md"),
        };
    }

    public static string Json(Session session, IReadOnlyList<SessionMessage> messages) =>
        JsonSerializer.Serialize(new SessionExportFile { Session = session, Messages = messages }, PlueJsonContext.Default.SessionExportFile);

    public static string Markdown(Session session, IReadOnlyList<SessionMessage> messages) => TranscriptMarkdown.Write(session, messages);

    /// <summary>A file name from the chat's title: letters, digits and dashes only.</summary>
    private static string FileName(Session session, string extension)
    {
        var name = new StringBuilder();
        foreach (var c in session.Title.Trim())
            name.Append(char.IsLetterOrDigit(c) ? c : name.Length > 0 && name[^1] != '-' ? '-' : '\0');
        var clean = name.ToString().Replace("\0", "", StringComparison.Ordinal).Trim('-');
        return (clean.Length == 0 ? session.Slug : clean.Length > 80 ? clean[..80] : clean) + extension;
    }
}
