namespace Plue.Store;

/// <summary>
/// The schema step that keeps one row per transcript in <c>transcripts</c>: how many live (not superseded) messages it
/// has; the usage, known cost and cost sources of the answers paid in it (replaced ones too: money spent stays spent;
/// not a fork's copies, paid in their source chat), the rules of <c>CostTotal</c>; and a version that moves on every
/// change to its messages or parts.
/// Triggers keep the row in the writer's own transaction, whichever process writes, so the totals are right after an
/// edit, a regenerate (messages superseded), a fork (messages copied) or a delete; <c>messages.rev</c> is the version
/// at a message's last change, so a reader holding an older version reads only what changed since.
/// </summary>
internal static class TranscriptTotals
{
    /// <summary>The cost sources an answer records (the stored names of the wire's CostSource; a test holds them equal).</summary>
    public static readonly string[] CostSources = ["catalog", "provider", "local", "estimate", "unknown"];

    /// <summary>Each total and how one message row contributes to it.</summary>
    private static readonly (string Column, Func<string, string> Of)[] s_totals =
    [
        ("live", m => $"({m}.status <> 'superseded')"),
        ("input", m => Usage(m, "input")),
        ("output", m => Usage(m, "output")),
        ("cache_read", m => Usage(m, "cacheRead")),
        ("cache_write", m => Usage(m, "cacheWrite")),
        ("reasoning", m => Usage(m, "reasoning")),
        // Cost is summed as whole picodollars: integers add and subtract back exactly.
        ("cost_pico", m => $"(CASE WHEN {Counted(m)} AND {m}.cost_usd IS NOT NULL THEN CAST(round({m}.cost_usd * 1e12) AS INTEGER) ELSE 0 END)"),
        // How many answers had each cost source; a null cost is unknown whatever source it names.
        .. CostSources.Select(source => ($"src_{source}", (Func<string, string>)(m => From(m, source)))),
    ];

    private static string From(string m, string source) => source == "unknown"
        ? $"({Counted(m)} AND {m}.cost_usd IS NULL)"
        : $"({Counted(m)} AND {m}.cost_usd IS NOT NULL AND coalesce({m}.cost_source, 'catalog') = '{source}')";

    /// <summary>The columns a write can change; <c>rev</c> is left out, or stamping it would fire the trigger again.</summary>
    private const string MessageColumns = "id, session_id, seq, role, status, error, model_id, instance_id, usage, cost_usd, cost_source, copied_from, owner, created_at, updated_at";

    /// <summary>An answer paid in this transcript: superseded or not, but not a fork's copy.</summary>
    private static string Counted(string m) => $"({m}.role = 'assistant' AND {m}.usage IS NOT NULL AND {m}.copied_from IS NULL)";

    private static string Usage(string m, string member) =>
        $"(CASE WHEN {Counted(m)} THEN coalesce(json_extract({m}.usage, '$.{member}'), 0) ELSE 0 END)";

    /// <summary><c>version = version + 1</c> and each total moved by the rows named, each with its sign.</summary>
    private static string Moved(params string[] signedRows) =>
        "version = version + 1, " + string.Join(", ", s_totals.Select(t => $"{t.Column} = {t.Column}" + string.Concat(signedRows.Select(r => $" {r[0]} {t.Of(r[1..])}"))));

    private static string Stamp(string messageId) =>
        $"UPDATE messages SET rev = (SELECT version FROM transcripts t WHERE t.session_id = messages.session_id) WHERE id = {messageId};";

    private static string PartTrigger(string name, string when, string row) => $"""
        CREATE TRIGGER {name} AFTER {when} ON parts BEGIN
            UPDATE transcripts SET version = version + 1 WHERE session_id = (SELECT session_id FROM messages WHERE id = {row}.message_id);
            {Stamp($"{row}.message_id")}
        END;
        """;

    public static string Step => $"""
        ALTER TABLE messages ADD COLUMN rev INTEGER NOT NULL DEFAULT 0;
        CREATE INDEX messages_rev ON messages (session_id, rev);
        CREATE TABLE transcripts (
            session_id  TEXT PRIMARY KEY,
            version     INTEGER NOT NULL DEFAULT 0,
            {string.Join(",\n    ", s_totals.Select(t => $"{t.Column} INTEGER NOT NULL DEFAULT 0"))}
        ) WITHOUT ROWID;
        INSERT INTO transcripts (session_id, version, {string.Join(", ", s_totals.Select(t => t.Column))})
            SELECT session_id, 1, {string.Join(", ", s_totals.Select(t => $"sum({t.Of("m")})"))} FROM messages m GROUP BY session_id;
        CREATE TRIGGER messages_added AFTER INSERT ON messages BEGIN
            INSERT OR IGNORE INTO transcripts (session_id) VALUES (NEW.session_id);
            UPDATE transcripts SET {Moved("+NEW")} WHERE session_id = NEW.session_id;
            {Stamp("NEW.id")}
        END;
        CREATE TRIGGER messages_changed AFTER UPDATE OF {MessageColumns} ON messages BEGIN
            UPDATE transcripts SET {Moved("-OLD")} WHERE session_id = OLD.session_id;
            INSERT OR IGNORE INTO transcripts (session_id) VALUES (NEW.session_id);
            UPDATE transcripts SET {Moved("+NEW")} WHERE session_id = NEW.session_id;
            {Stamp("NEW.id")}
        END;
        CREATE TRIGGER messages_removed AFTER DELETE ON messages BEGIN
            UPDATE transcripts SET {Moved("-OLD")} WHERE session_id = OLD.session_id;
        END;
        {PartTrigger("parts_added", "INSERT", "NEW")}
        {PartTrigger("parts_changed", "UPDATE", "NEW")}
        {PartTrigger("parts_removed", "DELETE", "OLD")}
        """;
}
