using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Plue.Agents.Tools.Files;
using Plue.Outbound;
using Plue.Protocol;
using Plue.Rpc;
using Plue.Workspace;

namespace Plue.Context;

/// <summary>
/// The context a message's <c>@url</c> and <c>@codebase</c> ask for, made into file attachments before the message is
/// stored: a page fetched (in a trusted workspace only) and reduced to its text, or the workspace's chunks that best
/// match some words. Each says what it is in its <see cref="Attachment.Note"/>. What cannot be had is refused in the
/// user's words (-32602), and the message is not sent.
/// </summary>
public sealed partial class ContextAttachments(WorkspaceContext workspace, Sandbox.SandboxContext sandbox)
{
    /// <summary>The most text kept from one page.</summary>
    public const int MaxPageChars = 40_000;

    /// <summary>The largest page read, and how long it may take from the request to its last byte.</summary>
    public const int MaxPageBytes = 2 * 1024 * 1024;
    public static readonly TimeSpan PageTimeLimit = TimeSpan.FromSeconds(30);

    /// <summary>The most chunks, lines of one chunk and characters in all that one <c>@codebase</c> attaches.</summary>
    public const int MaxChunks = 6;
    public const int MaxChunkLines = 40;
    public const int MaxCodebaseChars = 30_000;

    /// <summary>Lines kept above and below a matching line.</summary>
    private const int ContextLines = 4;
    private const int MaxMatches = 2000;
    private const long MaxFileBytes = 2 * 1024 * 1024;

    private static readonly HttpClient s_http = BoundedHttp.ForPages();

    private static readonly HashSet<string> s_stopWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "the", "and", "for", "are", "was", "how", "what", "where", "when", "why", "who", "which", "does", "did", "this", "that",
        "with", "from", "into", "there", "here", "defined", "define", "used", "use", "uses", "find", "show", "about", "can", "you",
        "our", "its", "all", "any", "get", "set", "not", "but", "have", "has", "code", "file", "files",
    };

    /// <summary>The attachments with each <c>url</c> and <c>codebase</c> one replaced by what it asks for; the others as they are.</summary>
    public async Task<IReadOnlyList<Attachment>?> ResolveAsync(IReadOnlyList<Attachment>? attachments, CancellationToken cancellationToken)
    {
        if (attachments is null || !attachments.Any(a => a.Kind is AttachmentKind.Url or AttachmentKind.Codebase)) return attachments;
        var resolved = new List<Attachment>(attachments.Count);
        foreach (var attachment in attachments)
        {
            resolved.Add(attachment.Kind switch
            {
                AttachmentKind.Url => await FetchAsync(attachment.Path, cancellationToken).ConfigureAwait(false),
                AttachmentKind.Codebase => await SearchAsync(attachment.Path, cancellationToken).ConfigureAwait(false),
                _ => attachment,
            });
        }
        return resolved;
    }

    /// <summary>A page's text: HTML reduced, other text as it is, capped at <see cref="MaxPageChars"/> with the cut said.</summary>
    public async Task<Attachment> FetchAsync(string address, CancellationToken cancellationToken)
    {
        address = address.Trim();
        if (!Uri.TryCreate(address, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
            throw RpcException.InvalidParams($"@url: '{address}' is not a web address; give one that starts with https:// (or http://).");
        if (!workspace.Trusted)
            throw RpcException.InvalidParams($"@url fetches pages only in a trusted workspace, and this one is in Restricted Mode, so {url} was not fetched. "
                + "Trust the folder (Manage Workspace Trust in the Command Palette) and send again, or paste the page's text.");
        string body;
        string mediaType;
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(PageTimeLimit);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.TryAddWithoutValidation("Accept", "text/html, text/plain;q=0.9, text/*;q=0.8, application/json;q=0.5");
            request.Headers.TryAddWithoutValidation("User-Agent", "Plue (@url)");
            using var response = await s_http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, limit.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                var status = (int)response.StatusCode;
                throw RpcException.InvalidParams(response.StatusCode == HttpStatusCode.NotFound
                    ? $"@url: {url} was not found (the server answered 404). Check the address and send again."
                    : $"@url: {url} answered {status} {response.ReasonPhrase}, not the page. Check the address, or try again later.");
            }
            mediaType = response.Content.Headers.ContentType?.MediaType?.ToLowerInvariant() ?? "";
            if (!IsText(mediaType))
                throw RpcException.InvalidParams($"@url: {url} is {mediaType}, not a page or text; "
                    + "@url attaches web pages and text. Download the file and attach it instead.");
            if (response.Content.Headers.ContentLength > MaxPageBytes) throw TooBig(url);
            body = await ReadCappedAsync(response.Content, url, limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw RpcException.InvalidParams($"@url: {url} did not answer within {PageTimeLimit.TotalSeconds:0} s; Plue stopped waiting. "
                + "Check that the address is right and the site is up, then send again.");
        }
        catch (HttpRequestException e)
        {
            throw RpcException.InvalidParams($"@url: {url} could not be fetched. {e.Message}");
        }
        var text = mediaType is "text/html" or "application/xhtml+xml" ? PageText.FromHtml(body) : PageText.Collapse(body);
        if (text.Length == 0) throw RpcException.InvalidParams($"@url: {url} has no text to attach (the page is empty once its markup is dropped).");
        return PageAttachment(url, text);
    }

    /// <summary>The page's text as an attachment, capped at <see cref="MaxPageChars"/> with the cut said.</summary>
    private static Attachment PageAttachment(Uri url, string text)
    {
        var full = Encoding.UTF8.GetByteCount(text);
        var cut = text.Length > MaxPageChars;
        if (cut) text = text[..MaxPageChars];
        var note = cut
            ? $"{Size(full)} of text, cut to the first {Size(Encoding.UTF8.GetByteCount(text))}"
            : $"{Size(full)} of text";
        var content = cut ? text + $"\n\n[Cut: the page's text is {Size(full)}; only its first {Size(Encoding.UTF8.GetByteCount(text))} is attached.]" : text;
        return new Attachment { Kind = AttachmentKind.File, Path = url.ToString(), Content = content, Language = "text", Note = note };
    }

    /// <summary>
    /// The workspace's chunks (a file's lines around its matches) for the words of <paramref name="query"/>: ripgrep if
    /// on PATH, ranked by how many of the words they hold and then how many matches, capped in count and size.
    /// </summary>
    public async Task<Attachment> SearchAsync(string query, CancellationToken cancellationToken)
    {
        var words = Words().Matches(query).Select(m => m.Value).Where(w => w.Length >= 3 && !s_stopWords.Contains(w)).Distinct(StringComparer.OrdinalIgnoreCase).Take(8).ToList();
        if (words.Count == 0)
            words = Words().Matches(query).Select(m => m.Value).Where(w => w.Length >= 2).Distinct(StringComparer.OrdinalIgnoreCase).Take(8).ToList();
        if (words.Count == 0) throw RpcException.InvalidParams("@codebase: say what to look for (a name, or a few words) after @codebase.");
        var folders = workspace.Folders;
        if (folders.Count == 0) throw RpcException.InvalidParams("@codebase searches the workspace folder, and none is open: open a folder and send again.");
        var request = new SearchRequest(string.Join('|', words.Select(Regex.Escape)), IgnoreCase: true, Glob: null, [.. folders], MaxMatches);
        SearchOutcome outcome;
        try
        {
            outcome = RipgrepSearch.Find() is { } rg
                // The workspace's policy: the search reads what the agent's own would, never the Plue home.
                ? await RipgrepSearch.RunAsync(rg, request, cancellationToken, sandbox.Workspace, plueHome: sandbox.PlueHome).ConfigureAwait(false)
                : await ManagedSearch.RunAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Plue.Agents.Tools.ToolException e)
        {
            throw RpcException.InvalidParams($"@codebase: the search failed ({e.Message}).");
        }
        var phrase = string.Join(' ', words);
        if (outcome.Matches.Count == 0)
            throw RpcException.InvalidParams($"@codebase found nothing for \"{phrase}\" in the workspace; try other words (a name as it is written in the code).");
        var chunks = Chunks(outcome.Matches, words)
            .OrderByDescending(c => c.Words).ThenByDescending(c => c.Matches).ThenBy(c => c.Path, StringComparer.Ordinal).ThenBy(c => c.Start)
            .ToList();
        var content = new StringBuilder();
        var kept = new List<string>();
        foreach (var chunk in chunks)
        {
            if (kept.Count == MaxChunks) break;
            if (ReadLines(chunk.Path, chunk.Start, chunk.End) is not { } read) continue;
            var (lines, last) = read;
            var display = WorkspacePaths.Display(folders, chunk.Path);
            var block = $"{display} lines {chunk.Start}-{last} ({Count(chunk.Matches, "match", "matches")} of {phrase})\n```\n{lines}\n```\n\n";
            if (content.Length + block.Length > MaxCodebaseChars) break;
            content.Append(block);
            kept.Add($"{display}:{chunk.Start}-{last}");
        }
        if (kept.Count == 0) throw RpcException.InvalidParams($"@codebase: the files that match \"{phrase}\" could not be read; attach them by name instead.");
        var left = chunks.Count - kept.Count;
        var note = $"{Count(kept.Count, "chunk", "chunks")} for \"{phrase}\": {string.Join(", ", kept)}"
            + (left > 0 ? $"; {left} more not attached" : "") + (outcome.Truncated ? $" (the search stopped at {MaxMatches} matches)" : "");
        return new Attachment
        {
            Kind = AttachmentKind.File,
            Path = $"@codebase {phrase}",
            Content = $"The workspace's chunks that best match \"{phrase}\" (ranked by the words they hold, then by matches):\n\n{content.ToString().TrimEnd()}",
            Language = "text",
            Note = note,
        };
    }

    private sealed record Chunk(string Path, int Start, int End, int Matches, int Words);

    /// <summary>Each file's matching lines, with <see cref="ContextLines"/> around them, merged where they meet, at most <see cref="MaxChunkLines"/> long.</summary>
    private static IEnumerable<Chunk> Chunks(IReadOnlyList<SearchMatch> matches, IReadOnlyList<string> words)
    {
        foreach (var file in matches.GroupBy(m => m.Path, StringComparer.Ordinal))
        {
            var start = -1;
            var end = -1;
            var hits = new List<SearchMatch>();
            foreach (var match in file.OrderBy(m => m.Line))
            {
                var from = Math.Max(1, match.Line - ContextLines);
                if (hits.Count > 0 && from <= end + 1 && match.Line + ContextLines - start < MaxChunkLines)
                {
                    end = match.Line + ContextLines;
                    hits.Add(match);
                    continue;
                }
                if (hits.Count > 0) yield return Make(file.Key, start, end, hits, words);
                start = from;
                end = match.Line + ContextLines;
                hits = [match];
            }
            if (hits.Count > 0) yield return Make(file.Key, start, end, hits, words);
        }
    }

    private static Chunk Make(string path, int start, int end, List<SearchMatch> hits, IReadOnlyList<string> words) =>
        new(path, start, end, hits.Count, words.Count(w => hits.Any(h => h.Text.Contains(w, StringComparison.OrdinalIgnoreCase))));

    /// <summary>Lines <paramref name="start"/> to <paramref name="end"/> of a file (fewer where it ends), or null when it cannot be read.</summary>
    private static (string Text, int Last)? ReadLines(string path, int start, int end)
    {
        try
        {
            if (new FileInfo(path).Length > MaxFileBytes) return null;
            var lines = File.ReadLines(path).Skip(start - 1).Take(end - start + 1).ToList();
            return lines.Count == 0 ? null : (string.Join('\n', lines), start + lines.Count - 1);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The answer as text in its stated charset (UTF-8 when none or unknown), refused past <see cref="MaxPageBytes"/>.</summary>
    private static async Task<string> ReadCappedAsync(HttpContent content, Uri url, CancellationToken cancellationToken)
    {
        var buffer = await BoundedHttp.ReadCappedAsync(content, MaxPageBytes, () => TooBig(url), cancellationToken).ConfigureAwait(false);
        var encoding = Encoding.UTF8;
        if (content.Headers.ContentType?.CharSet is { Length: > 0 } charset)
        {
            try
            {
                encoding = Encoding.GetEncoding(charset.Trim('"'));
            }
            catch (ArgumentException)
            {
                // An unknown charset: read as UTF-8, which most pages are.
            }
        }
        return encoding.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static RpcException TooBig(Uri url) => RpcException.InvalidParams(
        $"@url: {url} is larger than {MaxPageBytes / (1024 * 1024)} MiB, more than @url reads. Save the part you need and attach it as a file, or link a smaller page.");

    private static bool IsText(string mediaType) =>
        mediaType.StartsWith("text/", StringComparison.Ordinal) || mediaType is "application/xhtml+xml" or "application/json" or "application/xml" or "";

    private static string Size(long bytes) => bytes < 1024 ? $"{bytes} B" : string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.#} KiB");

    private static string Count(int n, string one, string many) => $"{n} {(n == 1 ? one : many)}";

    [GeneratedRegex(@"[\p{L}\p{N}_$]+")]
    private static partial Regex Words();
}
