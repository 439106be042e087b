using System.Text.Json.Nodes;
using Plue.Codex.Json5;

namespace Plue.Tests.Codex.Json5;

/// <summary>Individual spec features; expected values were checked against json5@2.2.3.</summary>
public class Json5ParserTests
{
    private static JsonNode? Root(string text) => Json5Parser.Parse(text).Root;

    private static string Str(string text) => Root(text)!.GetValue<string>();

    private static double Num(string text) => Root(text)!.GetValue<double>();

    [Fact]
    public void Parse_TrailingComma_Accepted()
    {
        Assert.Equal(2, Root("[1, 2,]")!.AsArray().Count);
        Assert.Single(Root("{a: 1, /* c */ }")!.AsObject());
    }

    [Theory]
    [InlineData("[,]")]
    [InlineData("{,}")]
    [InlineData("[1,,]")]
    [InlineData("{a:1,,}")]
    [InlineData("[1 2]")]
    [InlineData("{a:1 b:2}")]
    public void Parse_MisplacedComma_Rejected(string text) => Assert.Throws<Json5Exception>(() => Json5Parser.Parse(text));

    [Fact]
    public void Parse_Comments_Ignored()
    {
        var root = Root("// head\n/* block\n * more */ { // after brace\n a /* before colon */ : /**/ 1 /***/, } // tail");
        Assert.Equal(1.0, root!["a"]!.GetValue<double>());
        Assert.Equal(5.0, Num("5 // no newline at end"));
        Assert.Equal(5.0, Num("5 //\u2028"));
    }

    [Theory]
    [InlineData("/ 1")]
    [InlineData("1 /")]
    [InlineData("/* never closed")]
    [InlineData("// only a comment")]
    public void Parse_BadComment_Rejected(string text) => Assert.Throws<Json5Exception>(() => Json5Parser.Parse(text));

    [Fact]
    public void Parse_AllWhitespace_Skipped()
    {
        const string ws = "\t\v\f \u00A0\uFEFF\n\r\u2028\u2029\u1680\u2000\u200A\u202F\u205F\u3000";
        Assert.Equal(1.0, Num(ws + "1" + ws));
        Assert.Equal(2, Root($"[{ws}1{ws},{ws}2{ws}]")!.AsArray().Count);
    }

    [Theory]
    [InlineData("\u180E1")] // Mongolian vowel separator: Zs once, Cf now (the reference rejects it too)
    [InlineData("\u00851")] // NEL is not JSON5 whitespace
    [InlineData("\u200B1")] // zero width space is Cf
    public void Parse_NonWhitespace_Rejected(string text) => Assert.Throws<Json5Exception>(() => Json5Parser.Parse(text));

    [Theory]
    [InlineData("'single'", "single")]
    [InlineData("\"it's\"", "it's")]
    [InlineData("'say \"hi\"'", "say \"hi\"")]
    [InlineData(@"'\'\""\\\/\b\f\n\r\t\v'", "'\"\\/\b\f\n\r\t\v")]
    [InlineData(@"'\a\c\d\é'", "acdé")]
    [InlineData(@"'\0'", "\0")]
    [InlineData(@"'\0a'", "\0a")]
    [InlineData(@"'\x41\x7e\xFF'", "A~\u00FF")]
    [InlineData(@"'\u0041\u00e9\uFFFF'", "Aé\uFFFF")]
    [InlineData(@"'\uD83D\uDE00'", "\U0001F600")]
    [InlineData("'a\\\nb'", "ab")]
    [InlineData("'a\\\rb'", "ab")]
    [InlineData("'a\\\r\nb'", "ab")]
    [InlineData("'a\\\u2028b'", "ab")]
    [InlineData("'a\\\u2029b'", "ab")]
    [InlineData("'a\u2028b\u2029c'", "a\u2028b\u2029c")]
    [InlineData("''", "")]
    [InlineData("'\U0001F600 astral'", "\U0001F600 astral")]
    public void Parse_String_Decoded(string text, string expected) => Assert.Equal(expected, Str(text));

    [Theory]
    [InlineData(@"'\01'")]
    [InlineData(@"'\00'")]
    [InlineData(@"'\1'")]
    [InlineData(@"'\9'")]
    [InlineData(@"'\x4'")]
    [InlineData(@"'\x4g'")]
    [InlineData(@"'\u12'")]
    [InlineData(@"'\u12G4'")]
    [InlineData("'a\nb'")]
    [InlineData("'a\rb'")]
    [InlineData("'abc")]
    [InlineData("'abc\\")]
    [InlineData("'abc\"")]
    [InlineData("\"abc'")]
    public void Parse_BadString_Rejected(string text) => Assert.Throws<Json5Exception>(() => Json5Parser.Parse(text));

    [Fact]
    public void Parse_LoneSurrogateEscapes_KeptAsUtf16Units()
    {
        // Same as JS: escapes produce UTF-16 units, so a lone surrogate survives as one char.
        Assert.Equal("\uD800", Str(@"'\uD800'"));
        Assert.Equal("\uDC00x", Str(@"'\uDC00x'"));
        Assert.Equal("\uDE00\uD83D", Str(@"'\uDE00\uD83D'"));
        Assert.Equal("a\uD83D", Str(@"'a\uD83D'"));
        Assert.Equal("\uD83D", Root(@"{'\uD83D': 1}")!.AsObject().Single().Key);
    }

    [Theory]
    [InlineData("{a:1}", "a")]
    [InlineData("{$_:1}", "$_")]
    [InlineData("{_a1$:1}", "_a1$")]
    [InlineData("{ümlåût:1}", "ümlåût")]
    [InlineData("{Σ_σ:1}", "Σ_σ")]
    [InlineData("{中文:1}", "中文")]
    [InlineData("{a\u0301:1}", "a\u0301")] // combining mark
    [InlineData("{a\u200Cb\u200D:1}", "a\u200Cb\u200D")] // ZWNJ, ZWJ
    [InlineData("{a\u203F:1}", "a\u203F")] // connector punctuation
    [InlineData("{a\u0663:1}", "a\u0663")] // Arabic-Indic digit
    [InlineData("{\u2160:1}", "\u2160")] // letter number
    [InlineData("{\U0001D465:1}", "\U0001D465")] // astral letter (surrogate pair)
    [InlineData(@"{sig\u03A3ma:1}", "sigΣma")]
    [InlineData(@"{\u0024\u005F\u0061:1}", "$_a")]
    [InlineData("{null:1}", "null")]
    [InlineData("{while:1}", "while")]
    [InlineData("{Infinity:1}", "Infinity")]
    [InlineData("{'':1}", "")]
    [InlineData("{\"a b\":1}", "a b")]
    public void Parse_ObjectKey_Accepted(string text, string key) =>
        Assert.Equal(key, Root(text)!.AsObject().Single().Key);

    [Theory]
    [InlineData("{1a:1}")]
    [InlineData("{a-b:1}")]
    [InlineData("{a b:1}")]
    [InlineData(@"{\u0031a:1}")] // escaped digit cannot start
    [InlineData(@"{a\u0020b:1}")] // escaped space is not an identifier part
    [InlineData(@"{\uD835\uDC65:1}")] // escaped surrogates are checked one unit at a time, like the reference
    [InlineData(@"{\x41:1}")]
    [InlineData(@"{\u41:1}")]
    [InlineData("{\u0301a:1}")] // combining mark cannot start
    [InlineData("{a}")]
    [InlineData("{a:}")]
    [InlineData("{:1}")]
    [InlineData("{a::1}")]
    public void Parse_BadObjectKey_Rejected(string text) => Assert.Throws<Json5Exception>(() => Json5Parser.Parse(text));

    [Fact]
    public void Parse_DuplicateKeys_LastWins()
    {
        var doc = Json5Parser.Parse("{a: 1, b: {x: 1}, a: {y: [2]}, b: 3, a: {z: 4}}");
        var root = doc.Root!.AsObject();
        Assert.Equal(2, root.Count);
        Assert.Equal(4.0, root["a"]!["z"]!.GetValue<double>());
        Assert.Equal(3.0, root["b"]!.GetValue<double>());
        // Positions only describe the surviving values.
        Assert.Equal(["", "/a", "/a/z", "/b"], doc.Positions.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(new Json5Position(1, 41), doc.Positions["/a"]);
    }

    [Theory]
    [InlineData("0", 0.0)]
    [InlineData("1", 1.0)]
    [InlineData("-1", -1.0)]
    [InlineData("+1", 1.0)]
    [InlineData("123456789012345", 123456789012345.0)]
    [InlineData("12345678901234567890", 12345678901234567890.0)]
    [InlineData("1.5", 1.5)]
    [InlineData(".5", 0.5)]
    [InlineData("5.", 5.0)]
    [InlineData("-.5", -0.5)]
    [InlineData("+5.", 5.0)]
    [InlineData("5.e3", 5000.0)]
    [InlineData(".5E-1", 0.05)]
    [InlineData("1e3", 1000.0)]
    [InlineData("1E+3", 1000.0)]
    [InlineData("0e5", 0.0)]
    [InlineData("0.1", 0.1)]
    [InlineData("0x0", 0.0)]
    [InlineData("0xFF", 255.0)]
    [InlineData("0Xff", 255.0)]
    [InlineData("-0x10", -16.0)]
    [InlineData("+0xC8e4", 51428.0)]
    [InlineData("0x1FFFFFFFFFFFFF", 9007199254740991.0)]
    [InlineData("0x20000000000001", 9007199254740992.0)] // tie rounds to even (as JS)
    [InlineData("0x20000000000003", 9007199254740996.0)]
    [InlineData("0x000000000000000000000001", 1.0)]
    [InlineData("0xFFFFFFFFFFFFFFFF", 18446744073709551616.0)]
    [InlineData("Infinity", double.PositiveInfinity)]
    [InlineData("+Infinity", double.PositiveInfinity)]
    [InlineData("-Infinity", double.NegativeInfinity)]
    [InlineData("NaN", double.NaN)]
    [InlineData("-NaN", double.NaN)]
    [InlineData("1e400", double.PositiveInfinity)]
    [InlineData("-1e400", double.NegativeInfinity)]
    [InlineData("1e-400", 0.0)]
    [InlineData("1e99999999999999999999999999", double.PositiveInfinity)]
    [InlineData("1e-99999999999999999999999999", 0.0)]
    [InlineData("1.7976931348623157e308", double.MaxValue)]
    [InlineData("4.9e-324", double.Epsilon)]
    public void Parse_Number_IsDouble(string text, double expected) => JsonAssert.AssertNumber(expected, Root(text));

    [Theory]
    [InlineData("-0")]
    [InlineData("-0.0")]
    [InlineData("-.0")]
    [InlineData("-0.")]
    [InlineData("-0x0")]
    [InlineData("-0e9")]
    [InlineData("-1e-400")]
    public void Parse_NegativeZero_Preserved(string text) => JsonAssert.AssertNumber(-0.0, Root(text));

    [Theory]
    [InlineData("00")]
    [InlineData("01")]
    [InlineData("-01")]
    [InlineData("+08")]
    [InlineData("0o7")]
    [InlineData("0b1")]
    [InlineData("0x")]
    [InlineData("0xG")]
    [InlineData("0x1.5")]
    [InlineData("0x1p3")]
    [InlineData(".")]
    [InlineData("-.")]
    [InlineData(".e1")]
    [InlineData("1e")]
    [InlineData("1e+")]
    [InlineData("1e1.5")]
    [InlineData("1ex")]
    [InlineData("-")]
    [InlineData("+-1")]
    [InlineData("--1")]
    [InlineData("- 1")]
    [InlineData("1_000")]
    [InlineData("Inf")]
    [InlineData("infinity")]
    [InlineData("nan")]
    [InlineData("-NaNx")]
    [InlineData("1.2.3")]
    public void Parse_BadNumber_Rejected(string text) => Assert.Throws<Json5Exception>(() => Json5Parser.Parse(text));

    [Fact]
    public void Parse_HugeNumbers_Handled()
    {
        string tenThousandDigits = "1" + new string('0', 9999);
        JsonAssert.AssertNumber(double.PositiveInfinity, Root(tenThousandDigits));
        JsonAssert.AssertNumber(double.NegativeInfinity, Root("-" + tenThousandDigits));

        // 300 digits: finite and correctly rounded (same as double.Parse, which is IEEE-exact).
        string threeHundred = "9" + new string('7', 299);
        JsonAssert.AssertNumber(double.Parse(threeHundred, System.Globalization.CultureInfo.InvariantCulture), Root(threeHundred));

        // Long fraction and long zero-prefixed mantissa still round to the nearest double.
        JsonAssert.AssertNumber(0.1, Root("0." + "1" + new string('0', 5000)));
        JsonAssert.AssertNumber(1e-5000 * 0, Root("0." + new string('0', 5000) + "1"));

        JsonAssert.AssertNumber(double.PositiveInfinity, Root("0x" + new string('F', 300)));
        JsonAssert.AssertNumber(double.PositiveInfinity, Root("0x" + new string('F', 100_000)));
        JsonAssert.AssertNumber(Math.ScaleB(1, 1020), Root("0x1" + new string('0', 255)));
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("false", false)]
    public void Parse_Boolean_Accepted(string text, bool expected) => Assert.Equal(expected, Root(text)!.GetValue<bool>());

    [Fact]
    public void Parse_Null_RootIsNull()
    {
        var doc = Json5Parser.Parse(" null ");
        Assert.Null(doc.Root);
        Assert.Equal(new Json5Position(1, 2), doc.Positions[""]);
        Assert.Null(Root("[null]")![0]);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("tru")]
    [InlineData("nul")]
    [InlineData("nulll")]
    [InlineData("True")]
    [InlineData("undefined")]
    [InlineData("1 2")]
    [InlineData("{} {}")]
    [InlineData("[")]
    [InlineData("]")]
    [InlineData("{")]
    [InlineData("}")]
    [InlineData("[}")]
    [InlineData("{]")]
    [InlineData("{'a':1")]
    [InlineData("\u0000")]
    public void Parse_Malformed_Rejected(string text) => Assert.Throws<Json5Exception>(() => Json5Parser.Parse(text));

    [Fact]
    public void Parse_ByteOrderMark_IsWhitespace() => Assert.Equal(1.0, Num("\uFEFF1"));

    [Fact]
    public void Parse_NestedStructures_BuildJsonNodes()
    {
        var root = Root("{list: [1, 'two', [true, null], {deep: {er: -Infinity}}], empty: {}, none: []}")!;
        Assert.Equal("two", root["list"]![1]!.GetValue<string>());
        Assert.Null(root["list"]![2]![1]);
        JsonAssert.AssertNumber(double.NegativeInfinity, root["list"]![3]!["deep"]!["er"]);
        Assert.Empty(root["empty"]!.AsObject());
        Assert.Empty(root["none"]!.AsArray());
    }

    [Fact]
    public void Parse_NullText_ThrowsArgumentNull() => Assert.Throws<ArgumentNullException>(() => Json5Parser.Parse(null!));

    [Fact]
    public void Parse_NonPositiveMaxDepth_ThrowsArgumentOutOfRange() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Json5Parser.Parse("1", new Json5Options { MaxDepth = 0 }));
}
