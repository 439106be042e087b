using Plue.Codex.Json5;

namespace Plue.Tests.Codex.Json5;

public class Json5PositionTests
{
    [Fact]
    public void Parse_Positions_MapPointersToValueStarts()
    {
        const string text = """
            // template
            {
              name: 'demo',
              fields: [
                { type: "string", 'a/b': 1, 'm~n': -2 },
                [ .5, +Infinity, null ],
              ],
              "": { '~/': true },
            }
            """;
        var positions = Json5Parser.Parse(text).Positions;

        Assert.Equal(new Json5Position(2, 1), positions[""]);
        Assert.Equal(new Json5Position(3, 9), positions["/name"]);
        Assert.Equal(new Json5Position(4, 11), positions["/fields"]);
        Assert.Equal(new Json5Position(5, 5), positions["/fields/0"]);
        Assert.Equal(new Json5Position(5, 13), positions["/fields/0/type"]);
        Assert.Equal(new Json5Position(5, 30), positions["/fields/0/a~1b"]);
        Assert.Equal(new Json5Position(5, 40), positions["/fields/0/m~0n"]);
        Assert.Equal(new Json5Position(6, 5), positions["/fields/1"]);
        Assert.Equal(new Json5Position(6, 7), positions["/fields/1/0"]);
        Assert.Equal(new Json5Position(6, 11), positions["/fields/1/1"]);
        Assert.Equal(new Json5Position(6, 22), positions["/fields/1/2"]);
        Assert.Equal(new Json5Position(8, 7), positions["/"]);
        Assert.Equal(new Json5Position(8, 15), positions["//~0~1"]);
        Assert.Equal(13, positions.Count);
        Assert.Equal("6:22", positions["/fields/1/2"].ToString());
    }

    [Theory]
    [InlineData("\n")]
    [InlineData("\r\n")]
    [InlineData("\r")]
    public void Parse_Positions_SameForEveryLineEnding(string newline)
    {
        string text = string.Join(newline, "{", "  a: 1, // note", "  /* multi", "     line */ b: [", "    'x\\", "y', 'z',", "  ]", "}");
        var positions = Json5Parser.Parse(text).Positions;

        Assert.Equal(new Json5Position(1, 1), positions[""]);
        Assert.Equal(new Json5Position(2, 6), positions["/a"]);
        Assert.Equal(new Json5Position(4, 17), positions["/b"]);
        Assert.Equal(new Json5Position(5, 5), positions["/b/0"]);
        Assert.Equal(new Json5Position(6, 5), positions["/b/1"]);
    }

    [Fact]
    public void Parse_Positions_ColumnsCountUtf16Units()
    {
        // VS Code columns are UTF-16 based: the astral char before the value takes two columns.
        var positions = Json5Parser.Parse("{'\U0001F600': 1, \u00E9: 2}").Positions;
        Assert.Equal(new Json5Position(1, 8), positions["/\U0001F600"]);
        Assert.Equal(new Json5Position(1, 14), positions["/\u00E9"]);
    }

    [Fact]
    public void Parse_Positions_CoverEveryValueOfEverySuiteFile()
    {
        foreach (string file in Json5Fixtures.AllFiles().Where(Json5Fixtures.MustParse))
        {
            var doc = Json5Parser.Parse(Json5Fixtures.ReadCase(file));
            Assert.Equal(PointerAssert.AllPointers(doc.Root).Order(StringComparer.Ordinal), doc.Positions.Keys.Order(StringComparer.Ordinal));
        }
    }

    [Fact]
    public void Parse_Positions_RejectNonCanonicalPointers()
    {
        var positions = Json5Parser.Parse("{a: [1, 2], 'x~y': 3}").Positions;
        Assert.True(positions.ContainsKey("/a/1"));
        Assert.False(positions.ContainsKey("/a/01"));
        Assert.False(positions.ContainsKey("/a/-"));
        Assert.False(positions.ContainsKey("/a/2"));
        Assert.False(positions.ContainsKey("a"));
        Assert.False(positions.ContainsKey("/x~y"));
        Assert.False(positions.ContainsKey("/a/0/b"));
        Assert.True(positions.ContainsKey("/x~0y"));
        Assert.Throws<KeyNotFoundException>(() => positions["/nope"]);
    }

    [Fact]
    public void Parse_Positions_LongKeyOverManyValues_NoPointerBlowUp()
    {
        // 100k values under a 200k-char key: materialised pointers would need ~20 GB.
        string key = new('k', 200_000);
        string text = "{" + key + ": [" + string.Concat(Enumerable.Repeat("0,", 100_000)) + "]}";
        var positions = Json5Parser.Parse(text).Positions;
        Assert.Equal(100_002, positions.Count);
        Assert.Equal(new Json5Position(1, 200_005 + (2 * 99_999)), positions["/" + key + "/99999"]);
    }
}
