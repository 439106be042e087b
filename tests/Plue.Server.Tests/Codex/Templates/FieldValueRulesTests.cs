using System.Text.Json.Nodes;
using Plue.Codex.Templates;

namespace Plue.Tests.Codex.Templates;

/// <summary>A number's step rule in the words a form's user reads (it said "must be a multiple of 1 from 1").</summary>
public sealed class FieldValueRulesTests
{
    private static string Problem(double? min, double? max, double step, double value) =>
        Assert.Single(FieldValueRules.Check(new FieldSpec { Name = "n", Type = FieldType.Number, Min = min, Max = max, Step = step }, JsonValue.Create(value), "n"));

    [Fact]
    public void Step_OfOne_IsAWholeNumber_WithItsRangeInWords()
    {
        Assert.Equal("n must be a whole number, 1 or more", Problem(1, null, 1, 1.5));
        Assert.Equal("n must be a whole number from 0 to 10", Problem(0, 10, 1, 2.5));
        Assert.Equal("n must be a whole number", Problem(null, null, 1, 0.25));
    }

    [Fact]
    public void Step_OfAFraction_ListsTheFirstValues()
    {
        Assert.Equal("n must be 0, 0.5, 1 and so on (in steps of 0.5), up to 2", Problem(0, 2, 0.5, 0.3));
        Assert.Empty(FieldValueRules.Check(new FieldSpec { Name = "n", Type = FieldType.Number, Min = 1, Step = 1 }, JsonValue.Create(200000), "n"));
    }
}
