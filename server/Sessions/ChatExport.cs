using System.Text;
using System.Text.Json;
using Plue.Protocol;
using Plue.Rpc;
using Plue.Transcripts;

namespace Plue.Sessions;

/// <summary>
/// A chat written out whole (<c>session/export</c>, and <c>plue sessions export</c> through it: one implementation):
/// markdown (a title, then each message under its author, tool calls and files named, superseded ones left out) or
/// JSON (a sessions file's format and version, <c>{session, record, instance, messages}</c>, every message with its parts;
/// what <c>session/import</c> reads back).
/// </summary>
public sealed class ChatExport(SessionService sessions, MessageStore messages, SessionsTransfer transfer)
{
    public SessionExportResult Export(SessionExportParams request)
    {
        var format = request.Format ?? "markdown";
        if (format is not ("markdown" or "md" or "json")) throw RpcException.InvalidParams($"format: '{format}' is not one of markdown or json");
        var session = sessions.Get(request.Id);
        var record = sessions.Record(request.Id);
        var json = format == "json";
        // JSON keeps what an import needs: superseded answers too (money spent stays spent); markdown reads as the chat shows.
        var transcript = json ? messages.Messages(record.Id, includeSuperseded: true) : messages.Page(record.Id, null, null).Messages;
        return new SessionExportResult
        {
            Text = json ? Json(transfer.ExportOne(session, record, transcript)) : Markdown(session, transcript),
            FileName = FileName(session, json ? ".json" : ".md"),
        };
    }

    public static string Json(SessionExportFile file) => JsonSerializer.Serialize(file, SessionsTransfer.Indented.SessionExportFile);

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
