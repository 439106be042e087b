namespace Plue.Store;

/// <summary>
/// The schema step (migration 8) that makes streamed text cost the same to store whatever the answer's length: each
/// batch of a part's text is a row of its own in <c>part_chunks</c>, where appending it to the part's row
/// (<c>text = text || delta</c>) rewrote every overflow page of the part so far, so a batch cost more the longer the
/// answer grew. When its message stops streaming (answered, failed, cancelled, interrupted, superseded), a trigger
/// folds the chunks into the part's text, in the same transaction as the status and before the text is indexed for
/// search, whichever process ends it; so only a streaming message has chunks, and its readers add them.
/// </summary>
internal static class PartChunks
{
    /// <summary>A part's text as a reader of messages and parts (<c>m</c>, <c>p</c>) sees it: its chunks after it while it streams.</summary>
    public const string PartText =
        $"CASE WHEN m.status = 'streaming' THEN p.text || {Chunks} ELSE p.text END";

    /// <summary>A part's (<c>p</c>) chunks in order, or ''.</summary>
    public const string Chunks = "coalesce((SELECT group_concat(c.text, '' ORDER BY c.seq) FROM part_chunks c WHERE c.part_id = p.id), '')";

    /// <summary>The statement that adds one chunk after a part's last.</summary>
    public const string Append =
        "INSERT INTO part_chunks (part_id, seq, text) VALUES ($id, (SELECT coalesce(max(seq) + 1, 0) FROM part_chunks WHERE part_id = $id), $d)";

    public const string Step = """
        CREATE TABLE part_chunks (
            part_id TEXT NOT NULL REFERENCES parts (id) ON DELETE CASCADE,
            seq     INTEGER NOT NULL,
            text    TEXT NOT NULL,
            PRIMARY KEY (part_id, seq)
        ) WITHOUT ROWID;
        -- A chunk moves its transcript's version and stamps its message, as an append to the part's row did.
        CREATE TRIGGER part_chunks_added AFTER INSERT ON part_chunks BEGIN
            UPDATE transcripts SET version = version + 1
                WHERE session_id = (SELECT m.session_id FROM parts p JOIN messages m ON m.id = p.message_id WHERE p.id = NEW.part_id);
            UPDATE messages SET rev = (SELECT version FROM transcripts t WHERE t.session_id = messages.session_id)
                WHERE id = (SELECT message_id FROM parts WHERE id = NEW.part_id);
        END;
        -- Text that comes after its message stopped streaming (a batch queued before the end, written after it) goes
        -- into the part at once: only a streaming message has chunks.
        CREATE TRIGGER part_chunks_late AFTER INSERT ON part_chunks
            WHEN (SELECT m.status FROM parts p JOIN messages m ON m.id = p.message_id WHERE p.id = NEW.part_id) <> 'streaming' BEGIN
            UPDATE parts SET text = text || NEW.text WHERE id = NEW.part_id;
            DELETE FROM part_chunks WHERE part_id = NEW.part_id AND seq = NEW.seq;
        END;
        -- A message that stops streaming: its chunks folded into its parts, then its text indexed for search (this
        -- replaces migration 7's trigger, so the fold comes first). The schema is read by any SQLite that opens the
        -- file (a user's sqlite3, Debian's 3.40), so the chunks are ordered by a subquery, not by group_concat's own
        -- ORDER BY (SQLite 3.44): a subquery with ORDER BY under an aggregate is never flattened, so its order holds.
        DROP TRIGGER transcript_search_finished;
        CREATE TRIGGER message_finished AFTER UPDATE OF status ON messages
            WHEN OLD.status = 'streaming' AND NEW.status <> 'streaming' BEGIN
            UPDATE parts SET text = text || (SELECT group_concat(text, '') FROM (SELECT text FROM part_chunks c WHERE c.part_id = parts.id ORDER BY c.seq))
                WHERE message_id = NEW.id AND EXISTS (SELECT 1 FROM part_chunks c WHERE c.part_id = parts.id);
            DELETE FROM part_chunks WHERE part_id IN (SELECT id FROM parts WHERE message_id = NEW.id);
            INSERT INTO transcript_search (text, session_id, message_id)
                SELECT text, NEW.session_id, NEW.id FROM parts WHERE message_id = NEW.id AND kind = 'text' AND text <> '';
        END;
        """;
}
