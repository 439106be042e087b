using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Plue.Codex.Records;
using Plue.Codex.References;
using Plue.Instances;
using Plue.Protocol;
using Plue.Rpc;
using Plue.Store;
using Plue.Transcripts;

namespace Plue.Sessions;

/// <summary>
/// Every chat and task across machines and versions: <c>session/exportAll</c> writes them into one sessions file
/// (<see cref="SessionsFile"/>), <c>session/import</c> reads it (or one chat's JSON export) back, all in one transaction,
/// never over a record here. The command line and the window call these; there is no other implementation.
/// </summary>
public sealed class SessionsTransfer(Database database, CodexService codex, InstanceService instances, MessageStore messages)
{
    /// <summary>The template every kind of task inherits (the task records' own feature lives above this one).</summary>
    private const string TaskTemplate = "task";

    /// <summary>The fields that name a chat's or task's provider instance (a chat's <c>instance_ref</c>, a task's <c>provider_ref</c>).</summary>
    private static readonly string[] s_instanceFields = [SessionService.InstanceField, "provider_ref"];

    /// <summary>Files are written indented: a person can read them, and an import's error names a line that means something.</summary>
    internal static PlueJsonContext Indented { get; } = new(new System.Text.Json.JsonSerializerOptions(PlueJsonContext.Default.Options) { WriteIndented = true });

    public SessionExportResult ExportAll()
    {
        // Oldest first: a task's parent comes before it, so an import can point it at the parent's new id.
        var records = CodexPaging.Read(codex.List, new CodexQuery
        {
            TemplateIds = [SessionService.TemplateId, TaskTemplate], Sort = CodexSort.CreatedAsc, Limit = CodexPaging.MaxLimit,
        }, all: true);
        var known = KnownInstances();
        var file = new SessionsFile
        {
            ExportedAt = DateTimeOffset.UtcNow,
            Records = [.. records.Where(r => r.Unreadable is null).Select(r => new SessionsFileRecord
            {
                Kind = codex.IsA(r, SessionService.TemplateId) ? "chat" : "task",
                Record = r,
                Instance = InstanceOf(r, known),
                Messages = messages.Messages(r.Id, includeSuperseded: true),
                CopiedFrom = Copies(r.Id),
            })],
        };
        return new SessionExportResult
        {
            Text = JsonSerializer.Serialize(file, Indented.SessionsFile),
            FileName = $"plue-sessions-{DateTimeOffset.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}.json",
        };
    }

    /// <summary>One chat's JSON export: the same format and version as a sessions file, with what an import needs.</summary>
    public SessionExportFile ExportOne(Session session, CodexRecord record, IReadOnlyList<SessionMessage> transcript) => new()
    {
        Session = session,
        Record = record,
        Instance = InstanceOf(record, KnownInstances()),
        Messages = transcript,
        CopiedFrom = Copies(record.Id),
    };

    public SessionImportResult Import(SessionImportParams request)
    {
        var entries = Read(request.Json);
        var known = instances.List();
        var (chats, tasks, skipped, copied) = (0, 0, 0, 0);
        var missing = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var written = new List<(string Id, bool Chat)>();
        var newIds = new Dictionary<string, string>(StringComparer.Ordinal);
        var renamed = new Dictionary<string, string>(StringComparer.Ordinal);
        using var connection = database.Open();
        // One transaction: a file that fails half-way writes nothing.
        using var transaction = connection.BeginTransaction(deferred: false);
        try
        {
            foreach (var entry in entries)
            {
                var record = entry.Record;
                Importable(record);
                var here = StoreId(record.Id) ? Here(connection, transaction, record.Id) : null;
                if (here is { } same && Same(same, record, entry.Messages))
                {
                    skipped++;
                    continue;
                }
                // An id Plue did not make (a path, say) is never taken in: the record gets a new one, and the result says so.
                var keepId = here is null && StoreId(record.Id)
                    && entry.Messages.All(m => StoreId(m.Id) && !MessageStore.Exists(connection, transaction, "messages", m.Id));
                if (here is not null) copied++;
                var id = keepId ? record.Id : TranscriptIds.New();
                newIds[record.Id] = id;
                if (id != record.Id) renamed[record.Id] = id;
                var (fields, absent) = WithInstanceHere(record.Fields, entry.Instance, known);
                if (absent is not null) missing[absent] = missing.GetValueOrDefault(absent) + 1;
                var imported = record with
                {
                    Id = id,
                    // A different chat under the same id here: both are kept, the incoming one named as a copy.
                    Title = here is null ? record.Title : $"{record.Title} (imported copy)",
                    Slug = FreeSlug(connection, transaction, record.Collection, record.Slug, id),
                    Fields = fields,
                    SpawnedBy = record.SpawnedBy is { } parent ? newIds.GetValueOrDefault(parent, parent) : null,
                    ParentId = record.ParentId is { } owner ? newIds.GetValueOrDefault(owner, owner) : null,
                    Unreadable = null,
                };
                if (!CodexRepository.Write(connection, transaction, "import", null, imported, null))
                    throw PlueErrors.Conflict($"'{record.Title}' could not be imported: its name was taken while importing. Nothing was imported; try again.");
                WriteTranscript(connection, transaction, id, keepId, entry);
                var isChat = entry.Kind != "task";
                if (isChat) chats++;
                else tasks++;
                written.Add((id, isChat));
            }
            transaction.Commit();
        }
        catch (SqliteException e)
        {
            throw RpcException.InvalidParams($"The file could not be imported ({e.Message.TrimEnd('.')}): it holds something a Plue store cannot keep, such as a message twice. Nothing was imported.");
        }
        return new SessionImportResult
        {
            Chats = chats,
            Tasks = tasks,
            Skipped = skipped,
            Copied = copied,
            MissingInstances = [.. missing.Keys],
            Ids = [.. written.Select(w => w.Id)],
            Renamed = renamed,
            ChatId = chats == 1 && tasks == 0 ? written.Single(w => w.Chat).Id : null,
            Message = Summary(chats, tasks, skipped, copied, renamed.Count - copied, missing),
        };
    }

    private static void WriteTranscript(SqliteConnection connection, SqliteTransaction transaction, string id, bool keepIds, SessionsFileRecord entry)
    {
        var newMessageIds = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var message in entry.Messages)
        {
            var messageId = keepIds ? message.Id : TranscriptIds.New();
            newMessageIds[message.Id] = messageId;
            var origin = entry.CopiedFrom?.GetValueOrDefault(message.Id);
            // A part id taken here (a copy of this chat imported before) gets a new one.
            MessageStore.Import(connection, transaction, id, messageId, message, origin is null ? null : newMessageIds.GetValueOrDefault(origin, origin),
                part => keepIds && StoreId(part) && !MessageStore.Exists(connection, transaction, "parts", part) ? part : TranscriptIds.New());
        }
    }

    /// <summary>
    /// Only chats and tasks come in: a record of another kind (a provider, an MCP server that runs a command) in a file is
    /// refused, never written. A template this store does not have (a user's own task kind) is kept: it reads, inert.
    /// </summary>
    private void Importable(CodexRecord record)
    {
        if (codex.FindTemplate(record.TemplateId) is null) return;
        if (codex.IsA(record, SessionService.TemplateId) || codex.IsA(record, TaskTemplate)) return;
        throw RpcException.InvalidParams($"'{record.Title}' in this file is a {record.TemplateId} record, not a chat or a task: a sessions file holds only those. Nothing was imported.");
    }

    /// <summary>The record here under this id; an unreadable one counts as here and different.</summary>
    private static CodexRecord? Here(SqliteConnection connection, SqliteTransaction transaction, string id)
    {
        try
        {
            return CodexRepository.Get(connection, transaction, id);
        }
        catch (RpcException)
        {
            return new CodexRecord
            {
                Id = id, TemplateId = "", Collection = "", Slug = "", Title = "", Fields = [], Tags = [], Version = -1,
                CreatedAt = DateTimeOffset.MinValue, UpdatedAt = DateTimeOffset.MinValue,
            };
        }
    }

    /// <summary>
    /// The file's copy is already here: the same record (version and last change) with the same transcript, every
    /// message and part (their digests compared). Anything else is a different chat, and both are kept.
    /// </summary>
    private bool Same(CodexRecord here, CodexRecord file, IReadOnlyList<SessionMessage> fileMessages)
    {
        if (here.Version != file.Version || here.UpdatedAt != file.UpdatedAt || here.TemplateId != file.TemplateId) return false;
        return Digest(messages.Messages(here.Id, includeSuperseded: true)).SequenceEqual(Digest(fileMessages));
    }

    private static byte[] Digest(IReadOnlyList<SessionMessage> transcript)
    {
        using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        foreach (var message in transcript) hash.AppendData(JsonSerializer.SerializeToUtf8Bytes(message, PlueJsonContext.Default.SessionMessage));
        return hash.GetHashAndReset();
    }

    /// <summary>An id in the form this store makes (a GUID, as <see cref="TranscriptIds.New"/> writes it).</summary>
    internal static bool StoreId(string id) => id.Length == 36 && Guid.TryParseExact(id, "D", out var guid) && guid.ToString() == id;

    private static string FreeSlug(SqliteConnection connection, SqliteTransaction transaction, string collection, string slug, string id)
    {
        if (!CodexRepository.Taken(connection, transaction, id, collection, slug)) return slug;
        for (var n = 2; ; n++)
        {
            var candidate = $"{slug}-{n}";
            if (!CodexRepository.Taken(connection, transaction, null, collection, candidate)) return candidate;
        }
    }

    /// <summary>
    /// The record's fields pointing at an instance here: its own reference when it resolves, else an instance of the
    /// same name; when neither is here the fields are kept (the chat reads, and says so when it sends) and the name returned.
    /// </summary>
    private (JsonObject Fields, string? Missing) WithInstanceHere(JsonObject fields, SessionsFileInstance? instance, IReadOnlyList<ProviderInstance> known)
    {
        var field = s_instanceFields.FirstOrDefault(f => fields[f] is JsonValue value && value.GetValueKind() == JsonValueKind.String);
        if (field is null) return (fields, null);
        var reference = fields[field]!.GetValue<string>();
        if (known.Any(i => i.Ref == reference || i.Id == reference) || Resolves(reference)) return (fields, null);
        if (instance?.Name is { } name && known.FirstOrDefault(i => i.DisplayName == name && i.Ref is not null) is { } same)
        {
            var moved = (JsonObject)fields.DeepClone();
            moved[field] = same.Ref;
            return (moved, null);
        }
        return (fields, instance?.Name ?? reference);
    }

    private bool Resolves(string reference)
    {
        if (!reference.StartsWith("codex://", StringComparison.Ordinal)) return false;
        try
        {
            codex.Resolve(CodexReference.Parse(reference));
            return true;
        }
        catch (RpcException)
        {
            return false;
        }
    }

    private Dictionary<string, ProviderInstance> KnownInstances()
    {
        var known = new Dictionary<string, ProviderInstance>(StringComparer.Ordinal);
        foreach (var instance in instances.List())
        {
            known[instance.Id] = instance;
            if (instance.Ref is { } reference) known[reference] = instance;
        }
        return known;
    }

    private static SessionsFileInstance? InstanceOf(CodexRecord record, Dictionary<string, ProviderInstance> known)
    {
        var reference = s_instanceFields.Select(f => record.Fields[f]).OfType<JsonValue>().FirstOrDefault(v => v.GetValueKind() == JsonValueKind.String)?.GetValue<string>();
        if (reference is null) return null;
        var instance = known.GetValueOrDefault(reference);
        return new SessionsFileInstance { Ref = reference, Name = instance?.DisplayName, Id = instance?.Id };
    }

    private IReadOnlyDictionary<string, string>? Copies(string id) => messages.CopiedFrom(id) is { Count: > 0 } copies ? copies : null;

    /// <summary>The file's chats and tasks: a sessions file, or one chat's JSON export; refused in the user's words.</summary>
    internal static IReadOnlyList<SessionsFileRecord> Read(string json)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw RpcException.InvalidParams(NotJson(json, e));
        }
        if (root is not JsonObject file)
            throw RpcException.InvalidParams("This file is not a Plue sessions file (it is JSON, but not an object). Import a file written by 'plue sessions export' or Export Chat… as JSON. Nothing was imported.");
        var format = file["format"] is JsonValue f && f.GetValueKind() == JsonValueKind.String ? f.GetValue<string>() : null;
        if (format != SessionsFile.FormatName)
        {
            var named = format is null ? "it has no \"format\"" : $"its format is '{format}'";
            throw RpcException.InvalidParams($"This file is not a Plue sessions file ({named}). Import a file written by 'plue sessions export' or Export Chat… as JSON. Nothing was imported.");
        }
        var version = file["version"] is JsonValue v && v.TryGetValue<int>(out var number) ? number : 0;
        if (version > SessionsFile.CurrentVersion)
            throw RpcException.InvalidParams($"This file was exported by a newer Plue (sessions file version {version}; this Plue reads version {SessionsFile.CurrentVersion}). Update Plue, then import it again. Nothing was imported.");
        if (version < 1)
            throw RpcException.InvalidParams("This file's \"version\" is missing or not a whole number from 1 up. Export it again with 'plue sessions export'. Nothing was imported.");
        try
        {
            if (file.ContainsKey("records")) return file.Deserialize(PlueJsonContext.Default.SessionsFile)!.Records;
            var one = file.Deserialize(PlueJsonContext.Default.SessionExportFile)!;
            if (one.Record is not { } record)
                throw RpcException.InvalidParams("This chat's file has no \"record\" (the chat's settings), so it cannot be imported. Export the chat again. Nothing was imported.");
            return [new SessionsFileRecord { Kind = "chat", Record = record, Instance = one.Instance, Messages = one.Messages, CopiedFrom = one.CopiedFrom }];
        }
        catch (JsonException e)
        {
            throw RpcException.InvalidParams($"This sessions file holds something Plue cannot read at {e.Path ?? "its top"}: {e.Message.Split(" Path:")[0]} Nothing was imported.");
        }
    }

    /// <summary>Why a text is not JSON, with its line and column in words; a cut file "ends early".</summary>
    private static string NotJson(string json, JsonException e)
    {
        var line = (e.LineNumber ?? 0) + 1;
        var lines = json.Split('\n');
        var at = lines.Length >= line ? lines[(int)line - 1] : "";
        var column = ColumnOf(at, (int)(e.BytePositionInLine ?? 0)) + 1;
        // The reader says it reached the end (of the data, or with a value still open): the text stops before the JSON does.
        var endedEarly = e.Message.Contains("end of data", StringComparison.Ordinal) || e.Message.Contains("end of the JSON payload", StringComparison.Ordinal)
            || !lines.Skip((int)line).Any(l => l.Trim().Length > 0) && (at.Length < column || at[(column - 1)..].Trim().Length == 0);
        return !endedEarly
            ? $"This file is not valid JSON: line {line}, column {column} ({e.Message.Split(" LineNumber:")[0].TrimEnd('.')}). Was it edited by hand? Nothing was imported."
            : $"This file ends early at line {line}: it was cut short (a copy or download that did not finish?). Export it again. Nothing was imported.";
    }

    /// <summary>The character column of a UTF-8 byte offset in a line.</summary>
    private static int ColumnOf(string line, int bytes)
    {
        var encoded = Encoding.UTF8.GetBytes(line);
        return Encoding.UTF8.GetCharCount(encoded, 0, Math.Min(bytes, encoded.Length));
    }

    private static string Summary(int chats, int tasks, int skipped, int copied, int newIds, SortedDictionary<string, int> missing)
    {
        var text = new StringBuilder(chats + tasks == 0 ? "Nothing new was imported." : $"Imported {Count(chats, "chat")}{(tasks > 0 ? $" and {Count(tasks, "task")}" : "")}.");
        if (skipped > 0) text.Append(CultureInfo.InvariantCulture, $" {Count(skipped, "chat or task", "chats and tasks")} {(skipped == 1 ? "was" : "were")} already here, the same, and skipped.");
        if (copied > 0) text.Append(CultureInfo.InvariantCulture, $" {Count(copied, "chat or task", "chats and tasks")} had an id taken here by a different one: imported as a copy named \"(imported copy)\", the one here left as it was.");
        if (newIds > 0) text.Append(CultureInfo.InvariantCulture, $" {Count(newIds, "chat or task", "chats and tasks")} had an id that is not one Plue makes, or messages already here: given new ids.");
        foreach (var (name, count) in missing)
            text.Append(CultureInfo.InvariantCulture, $" The instance '{name}' is not here: {Count(count, "chat or task", "chats and tasks")} on it can be read; pick another model to continue {(count == 1 ? "it" : "them")}.");
        return text.ToString();
    }

    private static string Count(int n, string one, string? many = null) => n == 1 ? $"1 {one}" : $"{n} {many ?? one + "s"}";
}
