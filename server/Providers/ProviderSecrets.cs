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
    private volatile string[] _all = [];

    /// <summary>Registers each secret of <paramref name="secrets"/> (nulls and short ones ignored).</summary>
    public void Add(params ReadOnlySpan<string?> secrets)
    {
        var added = false;
        foreach (var secret in secrets)
            // Known ones first: every scrub of a streamed delta registers the connection's key again, and its forms
            // (encodings, base64 shifts) cost more than the rest of the delta's path.
            if (secret is { Length: >= MinLength } && !_forms.ContainsKey(secret) && _forms.TryAdd(secret, Forms(secret).ToArray())) added = true;
        if (!added) return;
        lock (_forms) _all = [.. _forms.Values.SelectMany(f => f).Distinct(StringComparer.Ordinal).OrderByDescending(f => f.Length)];
    }

    /// <summary>Every form of every secret, longest first so a shorter one never splits a longer.</summary>
    public IReadOnlyList<string> AllForms => _all;

    public bool IsEmpty => _all.Length == 0;

    /// <summary><paramref name="text"/> with every form of every registered secret replaced by <c>***</c>.</summary>
    public string Scrub(string text)
    {
        foreach (var form in _all)
            if (text.Contains(form, form.Contains('%', StringComparison.Ordinal) ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal))
                text = text.Replace(form, "***", form.Contains('%', StringComparison.Ordinal) ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);
        return text;
    }

    /// <summary>
    /// <paramref name="json"/> with every form of every secret scrubbed from its JSON text (a JSON-escaped form is among
    /// those scrubbed, and <c>***</c> keeps the text JSON); the element itself when it holds none, and when the scrubbed
    /// text is no longer JSON (a secret with a quote in it, raw), the scrubbed text as one JSON string.
    /// </summary>
    public JsonElement Scrub(JsonElement json)
    {
        if (_all.Length == 0 || json.ValueKind is JsonValueKind.Undefined) return json;
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
