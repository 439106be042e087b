using System.Text.Json.Nodes;
using Plue.Codex.Json5;

namespace Plue.Tests.Codex.Json5;

/// <summary>
/// The official json5-tests suite: .json/.json5 must parse to exactly what json5@2.2.3 returns
/// (tests/fixtures/json5-expected.json, made by json5-expected.mjs), .js/.txt must be rejected.
/// </summary>
public class Json5ConformanceTests
{
    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (string file in Json5Fixtures.AllFiles().Where(Json5Fixtures.IsCase))
            data.Add(file);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Parse_SuiteCase_MatchesReference(string relativePath)
    {
        string text = Json5Fixtures.ReadCase(relativePath);
        JsonNode entry = Json5Fixtures.Expected[relativePath]
            ?? throw new InvalidOperationException($"{relativePath} missing from json5-expected.json; rerun json5-expected.mjs");

        if (Json5Fixtures.MustParse(relativePath))
        {
            Assert.True(entry.AsObject().ContainsKey("value"), $"reference rejected {relativePath}: {entry}");
            Json5Document doc = Json5Parser.Parse(text);
            JsonAssert.Equivalent(entry["value"], doc.Root);
            Assert.Equal(PointerAssert.AllPointers(doc.Root).Order(StringComparer.Ordinal), doc.Positions.Keys.Order(StringComparer.Ordinal));
        }
        else
        {
            Assert.True(entry.AsObject().ContainsKey("error"), $"reference accepted {relativePath}");
            var ex = Assert.Throws<Json5Exception>(() => Json5Parser.Parse(text));
            Assert.True(ex.Line >= 1 && ex.Column >= 1, ex.Message);
        }
    }

    [Fact]
    public void Suite_EveryFile_IsACaseOrKnownSupportFile()
    {
        // Guards against the theory silently covering less than the folder holds.
        var files = Json5Fixtures.AllFiles().ToList();
        var cases = files.Where(Json5Fixtures.IsCase).ToList();
        var others = files.Except(cases).ToList();

        Assert.All(others, f => Assert.True(
            f is "README.md" or "LICENSE.md" or "SOURCE" || f.EndsWith(".errorSpec", StringComparison.Ordinal)
                || Path.GetFileName(f) is ".gitattributes" or ".editorconfig",
            $"unclassified fixture file {f}"));
        Assert.Equal(113, cases.Count);
        Assert.Equal(cases.Order(StringComparer.Ordinal), Json5Fixtures.Expected.Select(p => p.Key).Order(StringComparer.Ordinal));
    }
}
