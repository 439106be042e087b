using Plue.Codex.Json5;

namespace Plue.Tests.Codex.Json5;

public class Json5ErrorTests
{
    private static Json5Exception Fail(string text, Json5Options? options = null) =>
        Assert.Throws<Json5Exception>(() => Json5Parser.Parse(text, options));

    // Messages and positions were cross-checked with json5@2.2.3 wherever it reports the same
    // thing (it reports unterminated strings and comments at end of input; we point at their start).
    [Theory]
    [InlineData("[\n    true\n    false\n]", 3, 5, "invalid character 'f' at 3:5")]
    [InlineData("{\n  a: 1,\n  b: x\n}", 3, 6, "invalid character 'x' at 3:6")]
    [InlineData("{a:1 b:2}", 1, 6, "invalid character 'b' at 1:6")]
    [InlineData("[01]", 1, 3, "invalid character '1' at 1:3")]
    [InlineData("'\\01'", 1, 4, "invalid character '1' at 1:4")]
    [InlineData("'\\x4g'", 1, 5, "invalid character 'g' at 1:5")]
    [InlineData("{\\u0031a:1}", 1, 2, "invalid identifier character at 1:2")]
    [InlineData("{a\\u0020b:1}", 1, 3, "invalid identifier character at 1:3")]
    [InlineData("nulll", 1, 5, "invalid character 'l' at 1:5")]
    [InlineData("tru", 1, 4, "unexpected end of input at 1:4")]
    [InlineData("[1,\n  2", 2, 4, "unexpected end of input at 2:4 ('[' at 1:1 is not closed)")]
    [InlineData("{\n  a: {\n    b: 1,\n", 4, 1, "unexpected end of input at 4:1 ('{' at 2:6 is not closed)")]
    [InlineData("{\n  name: \"abc\n}", 2, 9, "unterminated string at 2:9")]
    [InlineData("[\n  'abc", 2, 3, "unterminated string at 2:3")]
    [InlineData("'abc\\", 1, 1, "unterminated string at 1:1")]
    [InlineData("[1,\n /* abc", 2, 2, "unterminated block comment at 2:2")]
    [InlineData("[1,\n\t@]", 2, 2, "invalid character '@' at 2:2")]
    [InlineData("{a\n:\n\n1\n2}", 5, 1, "invalid character '2' at 5:1")]
    [InlineData("[\u00851]", 1, 2, "invalid character '\\u0085' at 1:2")]
    [InlineData("[\n\u0001]", 2, 1, "invalid character '\\u0001' at 2:1")]
    [InlineData("1\n\n\u200B", 3, 1, "invalid character '\\u200B' at 3:1")]
    [InlineData("1 \U0001F600", 1, 3, "invalid character '\U0001F600' at 1:3")]
    [InlineData("", 1, 1, "unexpected end of input at 1:1")]
    public void Parse_Error_ReportsLineAndColumn(string text, int line, int column, string message)
    {
        var ex = Fail(text);
        Assert.Equal(message, ex.Message);
        Assert.Equal(line, ex.Line);
        Assert.Equal(column, ex.Column);
    }

    public static TheoryData<string> ErrorSpecs()
    {
        var data = new TheoryData<string>();
        foreach (string file in Json5Fixtures.AllFiles().Where(f => f.EndsWith(".errorSpec", StringComparison.Ordinal)))
        {
            // strings/no-comma-array.errorSpec has no case file next to it (an upstream leftover).
            if (CaseFor(file) is not null)
                data.Add(file);
        }
        return data;
    }

    /// <summary>
    /// The suite's .errorSpec files give the expected line/column (they are JSON5, so we read them
    /// with our own parser). Two are stale upstream, and json5@2.2.3 disagrees with them too.
    /// </summary>
    [Theory]
    [MemberData(nameof(ErrorSpecs))]
    public void Parse_SuiteErrorSpec_SamePosition(string specPath)
    {
        var spec = Json5Parser.Parse(Json5Fixtures.ReadCase(specPath)).Root!;
        int line = (int)spec["lineNumber"]!.GetValue<double>();
        int column = (int)spec["columnNumber"]!.GetValue<double>();
        (line, column) = specPath switch
        {
            // File is 65 chars with no newline, so end of input is 1:66 (json5@2.2.3 says 1:66 too).
            "comments/top-level-inline-comment.errorSpec" => (1, 66),
            // Spec says 2:0 (after the raw newline); we point at the string's opening quote.
            "strings/unescaped-multi-line-string.errorSpec" => (1, 1),
            _ => (line, column),
        };

        var ex = Fail(Json5Fixtures.ReadCase(CaseFor(specPath)!));
        Assert.Equal((line, column), (ex.Line, ex.Column));
    }

    private static string? CaseFor(string specPath)
    {
        string stem = specPath[..^".errorSpec".Length];
        return new[] { ".txt", ".js" }.Select(e => stem + e)
            .FirstOrDefault(p => File.Exists(Path.Combine(Json5Fixtures.SuiteDir, p)));
    }

    [Theory]
    [InlineData("{\r\n  a: 1,\r\n  b: x\r\n}", 3, 6)]
    [InlineData("{\r  a: 1,\r  b: x\r}", 3, 6)] // lone CR (classic Mac) also ends a line
    [InlineData("{\n  a: 1,\r\n  b: x\r}", 3, 6)]
    [InlineData("// c\r\n/* c\r\n */ x", 3, 5)]
    [InlineData("'a\\\r\nb\\\r\nc' x", 3, 4)]
    [InlineData("[1,\u2028x]", 1, 5)] // U+2028 is whitespace but not an editor line break
    public void Parse_ErrorAfterLineBreaks_CountsCrLfOnce(string text, int line, int column)
    {
        var ex = Fail(text);
        Assert.Equal((line, column), (ex.Line, ex.Column));
    }

    [Fact]
    public void Parse_UnterminatedStringAtCrLf_PointsAtOpeningQuote()
    {
        var ex = Fail("{\r\n  a: 'abc\r\n}");
        Assert.Equal("unterminated string at 2:6", ex.Message);
    }

    [Fact]
    public void Parse_HundredThousandNestedArrays_ReportsDepth()
    {
        var ex = Fail(new string('[', 100_000));
        Assert.Equal("nesting deeper than 256 at 1:257", ex.Message);
        Assert.Equal((1, 257), (ex.Line, ex.Column));
        Assert.Equal("nesting deeper than 256", ex.Reason);
    }

    [Fact]
    public void Parse_DeepObjectsOnManyLines_ReportsDepthPosition()
    {
        string text = string.Concat(Enumerable.Repeat("{a:\n", 100_000));
        var ex = Fail(text);
        Assert.Equal("nesting deeper than 256 at 257:1", ex.Message);
    }

    [Fact]
    public void Parse_ExactlyMaxDepth_Accepted()
    {
        var doc = Json5Parser.Parse(new string('[', 256) + new string(']', 256));
        Assert.NotNull(doc.Root);
        Fail(new string('[', 257) + new string(']', 257));

        var options = new Json5Options { MaxDepth = 3 };
        Json5Parser.Parse("{a: [[1]]}", options);
        Assert.Equal("nesting deeper than 3 at 1:7", Fail("{a: [[[1]]]}", options).Message);
        Assert.Equal("nesting deeper than 1 at 1:2", Fail("[[]]", new Json5Options { MaxDepth = 1 }).Message);
    }

    [Fact]
    public void Parse_VeryDeepWithRaisedLimit_DoesNotOverflowStack()
    {
        // The parser keeps its own stack, so even a huge limit cannot crash the process.
        // (Positions are not asked for here: 200,000 pointers of up to 400,000 characters would be
        // quadratic in memory; the deep-positions test below uses a depth that stays linear enough.)
        const int depth = 200_000;
        var doc = Json5Parser.Parse(new string('[', depth) + new string(']', depth), new Json5Options { MaxDepth = int.MaxValue });
        var node = doc.Root;
        var levels = 0;
        while (node is System.Text.Json.Nodes.JsonArray { Count: 1 } array)
        {
            node = array[0];
            levels++;
        }
        Assert.Equal(depth - 1, levels);
    }

    [Fact]
    public void Positions_OfADeepDocument_ReachTheInnermostValue()
    {
        const int depth = 2_000;
        var doc = Json5Parser.Parse(new string('[', depth) + new string(']', depth), new Json5Options { MaxDepth = int.MaxValue });
        Assert.Equal(depth, doc.Positions.Count);
        Assert.Equal(new Json5Position(1, depth), doc.Positions[string.Concat(Enumerable.Repeat("/0", depth - 1))]);
    }
}

public sealed class Json5DuplicateContainerTests
{
    [Theory]
    [InlineData("{a: [1], a: {b: 2}}", "{\"b\":2}", "/a/b", "/a/0", 2, 13)]
    [InlineData("{a: {b: 1}, a: 3, a: [4]}", "[4]", "/a/0", "/a/b", 2, 22)]
    [InlineData("{a: 1, x: [{a: 5}], a: {c: [7]}}", "{\"c\":[7]}", "/a/c/0", "/x/0/b", 3, 24)]
    public void DuplicateKeys_WithContainers_LastWins_AndPositionsFollowIt(string text, string expected, string present, string absent, int _, int column)
    {
        var doc = Plue.Codex.Json5.Json5Parser.Parse(text);
        Assert.Equal(expected, doc.Root!["a"]!.ToJsonString());
        Assert.True(doc.Positions.ContainsKey(present));
        Assert.False(doc.Positions.ContainsKey(absent));
        Assert.Equal(column, doc.Positions["/a"].Column);
    }
}
