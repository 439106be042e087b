using Plue.ContractGen;
using Plue.ContractGen.Model;
using Plue.Tests.Support;

namespace Plue.Tests.Protocol;

/// <summary>The generated TypeScript contract and protocol reference are the checked-in ones, and say what the wire does.</summary>
public sealed class ContractTests
{
    [Fact]
    public void CheckedInFiles_FreshGeneration_AreTheSame()
    {
        var stale = ContractGenerator.Stale(RepoPaths.Root, ContractGenerator.Generate(RepoPaths.Root));

        Assert.True(stale.Count == 0, $"Stale: {string.Join(", ", stale.Select(f => f.Path))}. Run `npm run contract` and commit the result.");
    }

    [Fact]
    public void Read_UnknownCosts_AreAlwaysSentAndNullable()
    {
        var types = ContractReader.Read().Types.OfType<WireObject>().ToDictionary(t => t.Name);

        foreach (var (type, member) in new[] { ("Session", "costUsd"), ("SessionMessage", "costUsd"), ("StepPart", "costUsd"), ("AgentTask", "costUsd"), ("AgentTask", "totalCostUsd") })
        {
            var cost = types[type].Members.Single(m => m.Name == member);
            Assert.False(cost.Optional, $"{type}.{member} may be absent");
            Assert.True(cost.Nullable, $"{type}.{member} is not nullable");
        }
    }

    [Fact]
    public void Read_EveryMethod_HasASummary()
    {
        var undocumented = ContractReader.Read().Methods.Where(m => m.Summary is null).Select(m => m.Name);

        Assert.Empty(undocumented);
    }
}
