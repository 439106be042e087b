using System.Text;
using System.Text.Unicode;

namespace Plue.Rpc;

/// <summary>
/// Makes a message body's text well formed before it is read: invalid UTF-8 and escaped lone surrogates (what
/// <c>JSON.stringify</c> makes of a string cut in the middle of an emoji) become U+FFFD, so no string in a message
/// can fail to decode later, in the peer or in a feature's binding.
/// </summary>
public static class WellFormedUtf8
{
    private const byte Quote = (byte)'"';
    private const byte Backslash = (byte)'\\';

    /// <summary>The body itself when it is well formed (the usual case, checked without copying), else a repaired copy.</summary>
    public static byte[] Repair(byte[] body)
    {
        var text = Utf8.IsValid(body) ? body : Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(body));
        if (text.AsSpan().IndexOf("\\u"u8) < 0) return text;
        var copy = ReferenceEquals(text, body) ? null : text;
        var inString = false;
        for (var i = 0; i < text.Length; i++)
        {
            var b = text[i];
            if (b == Quote) inString = !inString;
            else if (b == Backslash && inString)
            {
                if (i + 5 < text.Length && text[i + 1] == 'u' && Hex(text, i + 2) is { } unit)
                {
                    var paired = char.IsHighSurrogate(unit) && i + 11 < text.Length && text[i + 6] == Backslash && text[i + 7] == 'u'
                        && Hex(text, i + 8) is { } low && char.IsLowSurrogate(low);
                    if (paired) i += 6;
                    else if (char.IsSurrogate(unit))
                    {
                        // Same length: "\uD83D" becomes "\uFFFD" in place.
                        copy ??= (byte[])text.Clone();
                        "\\uFFFD"u8.CopyTo(copy.AsSpan(i));
                        text = copy;
                    }
                    i += 5;
                }
                else i++;
            }
        }
        return text;
    }

    private static char? Hex(byte[] text, int at)
    {
        var value = 0;
        for (var k = 0; k < 4; k++)
        {
            var digit = HexDigit(text[at + k]);
            if (digit < 0) return null;
            value = value * 16 + digit;
        }
        return (char)value;
    }

    private static int HexDigit(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
        _ => -1,
    };
}
