using System.Buffers;
using System.Collections.Concurrent;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Plue.Providers;

/// <summary>
/// Every secret the requests of one connection use: its stored key and the URL password of its endpoint from the
/// start, and what is derived on the way as it is made (a Google access token and what obtained it, AWS session
/// tokens, SSO tokens, a request's signature). <see cref="Scrub(string)"/> takes them out, in every form a provider might echo
/// them in, of whatever leaves the provider layer: errors, streamed text, logs. Shared by the copies a connection makes
/// of itself (<c>connection with { … }</c>), so a token found for one request is scrubbed wherever the connection goes.
/// </summary>
public sealed class ProviderSecrets
{
    /// <summary>Shorter values are too common to scrub without mangling text.</summary>
    public const int MinLength = 4;

    /// <summary>The shortest piece of a longer base64 text scrubbed as a secret's: shorter ones could be anything.</summary>
    private const int MinInnerBase64 = 12;

    private readonly ConcurrentDictionary<string, string[]> _forms = new(StringComparer.Ordinal);
    private volatile Known _known = Known.None;

    /// <summary>
    /// The forms, and searches made of them once: a streamed delta is scrubbed, and its end checked for a secret's start,
    /// by one vectorized pass each instead of a search for every form (a tenth of the delta's path with a dozen forms).
    /// </summary>
    private sealed record Known(string[] All, SearchValues<string> Exact, SearchValues<string> AnyCase, SearchValues<char> Starts, int Longest)
    {
        public static readonly Known None = Of([]);

        // A percent-encoded form matches in either case of its hex digits.
        public static Known Of(string[] all) => new(all,
            SearchValues.Create([.. all.Where(f => !PercentEncoded(f))], StringComparison.Ordinal),
            SearchValues.Create([.. all.Where(PercentEncoded)], StringComparison.OrdinalIgnoreCase),
            SearchValues.Create([.. all.Select(f => f[0]).Distinct()]),
            all.Length == 0 ? 0 : all.Max(f => f.Length));
    }

    private static bool PercentEncoded(string form) => form.Contains('%', StringComparison.Ordinal);

    /// <summary>Registers each secret of <paramref name="secrets"/> (nulls and short ones ignored).</summary>
    public void Add(params ReadOnlySpan<string?> secrets)
    {
        var added = false;
        foreach (var secret in secrets)
            // Known ones first: every scrub of a streamed delta registers the connection's key again, and its forms
            // (encodings, base64 shifts) cost more than the rest of the delta's path.
            if (secret is { Length: >= MinLength } && !_forms.ContainsKey(secret) && _forms.TryAdd(secret, Forms(secret).ToArray())) added = true;
        if (!added) return;
        lock (_forms) _known = Known.Of([.. _forms.Values.SelectMany(f => f).Distinct(StringComparer.Ordinal).OrderByDescending(f => f.Length)]);
    }

    /// <summary>Every form of every secret, longest first so a shorter one never splits a longer.</summary>
    public IReadOnlyList<string> AllForms => _known.All;

    public bool IsEmpty => _known.All.Length == 0;

    /// <summary><paramref name="text"/> with every form of every registered secret replaced by <c>***</c>.</summary>
    public string Scrub(string text)
    {
        var known = _known;
        if (!text.AsSpan().ContainsAny(known.Exact) && !text.AsSpan().ContainsAny(known.AnyCase)) return text;
        foreach (var form in known.All)
        {
            var comparison = PercentEncoded(form) ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
            if (text.Contains(form, comparison)) text = text.Replace(form, "***", comparison);
        }
        return text;
    }

    /// <summary>
    /// Where the end of <paramref name="text"/> may begin a form (a character a form starts with, near enough the end to
    /// start one); -1 when nowhere: no end of it can be the start of a secret.
    /// </summary>
    public int FirstPossibleStart(ReadOnlySpan<char> text)
    {
        var known = _known;
        if (known.Longest == 0) return -1;
        var from = Math.Max(0, text.Length - known.Longest + 1);
        return text[from..].IndexOfAny(known.Starts) is var at and >= 0 ? from + at : -1;
    }

    /// <summary>
    /// <paramref name="json"/> with every form of every secret scrubbed from its JSON text (a JSON-escaped form is among
    /// those scrubbed, and <c>***</c> keeps the text JSON); the element itself when it holds none, and when the scrubbed
    /// text is no longer JSON (a secret with a quote in it, raw), the scrubbed text as one JSON string.
    /// </summary>
    public JsonElement Scrub(JsonElement json)
    {
        if (IsEmpty || json.ValueKind is JsonValueKind.Undefined) return json;
        var raw = json.GetRawText();
        var scrubbed = Scrub(raw);
        if (scrubbed == raw) return json;
        try
        {
            using var document = JsonDocument.Parse(scrubbed);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            var text = new System.Buffers.ArrayBufferWriter<byte>();
            using (var writer = new Utf8JsonWriter(text)) writer.WriteStringValue(scrubbed);
            using var document = JsonDocument.Parse(text.WrittenMemory);
            return document.RootElement.Clone();
        }
    }

    /// <summary>
    /// The forms a provider might echo <paramref name="secret"/> in: raw, URL-encoded, JSON-escaped, and base64 (a Basic
    /// or "Bearer &lt;base64&gt;" credential, with or without padding, URL-safe too), also inside a longer base64 text
    /// (a Basic credential "user:secret"): the secret's characters at each of the three places a prefix can leave it,
    /// less the groups it shares with its neighbours.
    /// </summary>
    public static IEnumerable<string> Forms(string secret)
    {
        var forms = new HashSet<string>(StringComparer.Ordinal)
        {
            secret, Uri.EscapeDataString(secret), System.Net.WebUtility.UrlEncode(secret),
            JavaScriptEncoder.Default.Encode(secret), JavaScriptEncoder.UnsafeRelaxedJsonEscaping.Encode(secret),
            // Some JSON writers escape the solidus too.
            JavaScriptEncoder.UnsafeRelaxedJsonEscaping.Encode(secret).Replace("/", "\\/", StringComparison.Ordinal),
        };
        foreach (var text in new[] { secret, secret + ":", ":" + secret })
        {
            var base64 = Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
            forms.Add(base64);
            forms.Add(base64.TrimEnd('='));
            forms.Add(base64.TrimEnd('=').Replace('+', '-').Replace('/', '_'));
        }
        var bytes = Encoding.UTF8.GetBytes(secret);
        for (var shift = 0; shift < 3; shift++)
        {
            var shifted = new byte[shift + bytes.Length];
            bytes.CopyTo(shifted, shift);
            var base64 = Convert.ToBase64String(shifted);
            var start = shift == 0 ? 0 : 4;
            var end = shifted.Length / 3 * 4;
            if (end - start < MinInnerBase64) continue;
            forms.Add(base64[start..end]);
            forms.Add(base64[start..end].Replace('+', '-').Replace('/', '_'));
        }
        return forms.Where(f => f.Length >= 4);
    }

    /// <summary>The password of a URL's user information (<c>https://user:password@host</c>), if it has one.</summary>
    public static string? UrlPassword(string? url)
    {
        if (url is null) return null;
        // Every scrub of a streamed delta asks again for its connection's endpoint: parse each URL once.
        if (s_lastUrl is { } last && last.Url == url) return last.Password;
        var password = Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.UserInfo.Split(':', 2) is [_, { Length: > 0 } found]
            ? Uri.UnescapeDataString(found)
            : null;
        s_lastUrl = new UrlAndPassword(url, password);
        return password;
    }

    private static UrlAndPassword? s_lastUrl;

    private sealed record UrlAndPassword(string Url, string? Password);
}
