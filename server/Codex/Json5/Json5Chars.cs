using System.Globalization;

namespace Plue.Codex.Json5;

/// <summary>Character classes of the JSON5 grammar (spec.json5.org, which defers to ES5.1).</summary>
internal static class Json5Chars
{
    /// <summary>
    /// JSON5 WhiteSpace and LineTerminator. Outside Latin-1 only Zs, U+FEFF and U+2028/U+2029 count;
    /// .NET's Zs set is the same as the reference's Space_Separator table.
    /// </summary>
    public static bool IsWhiteSpace(char c) => c switch
    {
        ' ' or '\t' or '\n' or '\r' or '\v' or '\f' or '\u00A0' or '\uFEFF' or '\u2028' or '\u2029' => true,
        < '\u0100' => false,
        _ => CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.SpaceSeparator,
    };

    /// <summary>Ends a <c>//</c> comment (ES5 LineTerminator).</summary>
    public static bool IsLineTerminator(char c) => c is '\n' or '\r' or '\u2028' or '\u2029';

    public static bool IsDigit(char c) => (uint)(c - '0') <= 9;

    /// <summary>Value of a hex digit, or -1.</summary>
    public static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };

    /// <summary>
    /// ES5 IdentifierStart: UnicodeLetter, '$' or '_'. Other_ID_Start is included too because the
    /// reference implementation uses Unicode ID_Start, and keys should parse the same in both.
    /// </summary>
    public static bool IsIdentifierStart(int codePoint)
    {
        if (codePoint < 0x80)
            return (uint)((codePoint | 0x20) - 'a') <= 'z' - 'a' || codePoint is '$' or '_';
        if (codePoint is 0x1885 or 0x1886 or 0x2118 or 0x212E or 0x309B or 0x309C)
            return true;
        return CharUnicodeInfo.GetUnicodeCategory(codePoint) is UnicodeCategory.UppercaseLetter
            or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
            or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter or UnicodeCategory.LetterNumber;
    }

    /// <summary>
    /// ES5 IdentifierPart: IdentifierStart, combining marks, digits, connector punctuation, ZWNJ and
    /// ZWJ (plus Other_ID_Continue, as the reference's ID_Continue has it).
    /// </summary>
    public static bool IsIdentifierPart(int codePoint)
    {
        if (IsIdentifierStart(codePoint))
            return true;
        if (codePoint < 0x80)
            return (uint)(codePoint - '0') <= 9;
        if (codePoint is 0x200C or 0x200D or 0x00B7 or 0x0387 or (>= 0x1369 and <= 0x1371) or 0x19DA)
            return true;
        return CharUnicodeInfo.GetUnicodeCategory(codePoint) is UnicodeCategory.NonSpacingMark
            or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.DecimalDigitNumber
            or UnicodeCategory.ConnectorPunctuation;
    }

    /// <summary>How a character is quoted in error messages: printable as is, the rest escaped.</summary>
    public static string Describe(string text, int offset)
    {
        char c = text[offset];
        if (char.IsHighSurrogate(c) && offset + 1 < text.Length && char.IsLowSurrogate(text[offset + 1]))
            return text.Substring(offset, 2);
        return c switch
        {
            '\n' => "\\n",
            '\r' => "\\r",
            '\t' => "\\t",
            '\v' => "\\v",
            '\f' => "\\f",
            '\b' => "\\b",
            '\0' => "\\0",
            '\'' => "\\'",
            _ when char.IsSurrogate(c) || CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.Control
                or UnicodeCategory.Format or UnicodeCategory.SpaceSeparator or UnicodeCategory.LineSeparator
                or UnicodeCategory.ParagraphSeparator or UnicodeCategory.OtherNotAssigned
                => $"\\u{(int)c:X4}",
            _ => c.ToString(),
        };
    }
}
