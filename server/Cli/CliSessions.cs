using Plue.Protocol;

namespace Plue.Cli;

/// <summary>Finds a chat by what a user types: its id, its slug, its title, or the start of its id.</summary>
internal static class CliSessions
{
    public static async Task<Session> FindAsync(CliSidecar sidecar, string name)
    {
        var all = (await sidecar.CallAsync(Contract.SessionList, new SessionListParams()).ConfigureAwait(false))
            .Concat(await sidecar.CallAsync(Contract.SessionList, new SessionListParams { Archived = true }).ConfigureAwait(false)).ToList();
        var titled = all.Where(s => string.Equals(s.Title, name, StringComparison.OrdinalIgnoreCase)).ToList();
        var prefixed = all.Where(s => s.Id.StartsWith(name, StringComparison.Ordinal)).ToList();
        return all.FirstOrDefault(s => s.Id == name || s.Slug == name)
            ?? (titled.Count == 1 ? titled[0] : null)
            ?? (prefixed.Count == 1 && name.Length >= 4 ? prefixed[0] : null)
            ?? throw new CliError(titled.Count > 1
                ? $"{titled.Count} chats are called '{name}': name one by its id (`plue sessions list` shows them)."
                : $"No chat is called '{name}': `plue sessions list` shows them.", CliError.Usage);
    }

    /// <summary>The whole transcript, oldest first, read a page at a time.</summary>
    public static async Task<IReadOnlyList<SessionMessage>> MessagesAsync(CliSidecar sidecar, string id)
    {
        var pages = new List<IReadOnlyList<SessionMessage>>();
        int? before = null;
        while (true)
        {
            var page = await sidecar.CallAsync(Contract.SessionMessages, new SessionMessagesParams { Id = id, Limit = 500, BeforeSeq = before }).ConfigureAwait(false);
            pages.Insert(0, page.Messages);
            if (!page.HasMore || page.Messages.Count == 0) break;
            before = page.Messages[0].Seq;
        }
        return [.. pages.SelectMany(p => p)];
    }
}
