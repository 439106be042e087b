using System.Globalization;
using Plue.Rpc;

namespace Plue.Vault;

/// <summary>
/// Secrets checked where they enter (<c>instances/create</c>, <c>instances/update</c>, <c>vault/store</c>, and so the
/// command line): printable text of a sane length. Binary data piped in by mistake, or a second line, is refused with
/// a message that names the secret, instead of being stored and failing every call later as the endpoint's fault.
/// </summary>
public static class SecretText
{
    /// <summary>The longest API key accepted (providers' keys are well under 200 characters).</summary>
    public const int MaxKeyLength = 1024;

    /// <summary>The longest vault secret accepted: room for a JSON credential with a session token, or a PEM key.</summary>
    public const int MaxSecretLength = 64 * 1024;

    /// <summary>
    /// An API key: one line of printable characters, at most <see cref="MaxKeyLength"/>; or a JSON credential (a Google
    /// service account, AWS keys with a session token), which is longer and has line breaks: checked as a vault secret.
    /// </summary>
    public static void CheckKey(string key, string name)
    {
        var json = key.TrimStart().StartsWith('{');
        if (Problem(key, json ? MaxSecretLength : MaxKeyLength, multiline: json) is { } problem)
            throw RpcException.InvalidParams($"The {(json ? "credential" : "API key")} of {name} {problem}; nothing was saved. Copy it again from the provider's console");
    }

    /// <summary>A vault secret: printable characters and line breaks (JSON, PEM), at most <see cref="MaxSecretLength"/>.</summary>
    public static void CheckSecret(string value, string reference)
    {
        if (Problem(value, MaxSecretLength, multiline: true) is { } problem)
            throw RpcException.InvalidParams($"The secret for {reference} {problem}; nothing was saved");
    }

    /// <summary>What is wrong with <paramref name="text"/> as a secret, or null. Never quotes it.</summary>
    public static string? Problem(string text, int maxLength, bool multiline)
    {
        if (string.IsNullOrWhiteSpace(text)) return "is empty";
        if (text.Length > maxLength) return $"is {text.Length} characters long, more than the {maxLength} a secret like it can be (binary data or a whole file?)";
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (multiline && c is '\n' or '\r' or '\t') continue;
            if (char.IsSurrogatePair(text, i))
            {
                i++;
                continue;
            }
            var category = char.GetUnicodeCategory(c);
            if (c == '\uFFFD' || category is UnicodeCategory.Control or UnicodeCategory.Surrogate or UnicodeCategory.Format or UnicodeCategory.OtherNotAssigned
                or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator)
                return $"has a character that is not printable at position {i + 1} ({Describe(c)}), as binary data{(multiline ? "" : " or a second line")} has";
        }
        return null;
    }

    private static string Describe(char c) => c switch
    {
        '\n' => "a line break",
        '\r' => "a carriage return",
        '\t' => "a tab",
        '\0' => "a NUL byte",
        '\uFFFD' => "bytes that are not UTF-8 text",
        _ => $"U+{(int)c:X4}",
    };
}
