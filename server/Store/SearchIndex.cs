namespace Plue.Store;

/// <summary>
/// The full-text index of chats and tasks (migration 7): <c>title_search</c> holds every record's title by its id,
/// <c>transcript_search</c> every text part of a message that is no longer streaming, with its conversation and message.
/// Both use FTS5's unicode61 tokenizer without diacritics, so "cafe" finds "café".
/// </summary>
public static class SearchIndex
{
    public const string Step = """
        CREATE VIRTUAL TABLE title_search USING fts5 (title, codex_id UNINDEXED, tokenize = 'unicode61 remove_diacritics 2');
        CREATE VIRTUAL TABLE transcript_search USING fts5 (text, session_id UNINDEXED, message_id UNINDEXED, tokenize = 'unicode61 remove_diacritics 2');
        INSERT INTO title_search (title, codex_id) SELECT title, id FROM codices;
        INSERT INTO transcript_search (text, session_id, message_id)
            SELECT p.text, m.session_id, m.id FROM parts p JOIN messages m ON m.id = p.message_id
            WHERE p.kind = 'text' AND m.status <> 'streaming' AND p.text <> '';
        CREATE TRIGGER title_search_insert AFTER INSERT ON codices BEGIN
            INSERT INTO title_search (title, codex_id) VALUES (NEW.title, NEW.id);
        END;
        CREATE TRIGGER title_search_update AFTER UPDATE OF title ON codices WHEN OLD.title IS NOT NEW.title BEGIN
            DELETE FROM title_search WHERE codex_id = OLD.id;
            INSERT INTO title_search (title, codex_id) VALUES (NEW.title, NEW.id);
        END;
        CREATE TRIGGER title_search_delete AFTER DELETE ON codices BEGIN
            DELETE FROM title_search WHERE codex_id = OLD.id;
        END;
        CREATE TRIGGER transcript_search_part AFTER INSERT ON parts
            WHEN NEW.kind = 'text' AND NEW.text <> '' AND (SELECT status FROM messages WHERE id = NEW.message_id) <> 'streaming' BEGIN
            INSERT INTO transcript_search (text, session_id, message_id) SELECT NEW.text, session_id, id FROM messages WHERE id = NEW.message_id;
        END;
        CREATE TRIGGER transcript_search_finished AFTER UPDATE OF status ON messages
            WHEN OLD.status = 'streaming' AND NEW.status <> 'streaming' BEGIN
            INSERT INTO transcript_search (text, session_id, message_id)
                SELECT text, NEW.session_id, NEW.id FROM parts WHERE message_id = NEW.id AND kind = 'text' AND text <> '';
        END;
        CREATE TRIGGER transcript_search_delete AFTER DELETE ON messages BEGIN
            DELETE FROM transcript_search WHERE message_id = OLD.id;
        END;
        """;
}
