using Plue.Codex.Records;
using Plue.Customizations;
using Plue.Protocol;
using Plue.Tests.Codex.Records;

namespace Plue.Tests.Customizations;

public sealed class CustomizationRecordsTests
{
    /// <summary>
    /// The customization records are read whole: a list that stopped at 1,000 records of a kind (as it did)
    /// left the rest unused without a word.
    /// </summary>
    [Fact]
    public void Read_1200CommandRecords_ReadsEveryOneOnce()
    {
        using var world = new CodexWorld();
        var made = Enumerable.Range(0, 1_200).Select(i => world.Service.Create(new CodexDraft
        {
            TemplateId = "command", Title = $"Command {i:0000}", Slug = $"command-{i:0000}",
            Fields = new() { ["body"] = $"do thing {i}" },
        }).Id).ToList();

        var read = CustomizationRecords.Read(world.Service).Where(r => r.Kind == CustomizationKind.Command).Select(r => r.Record.Id).ToList();

        // Ordered by id: creation order to the millisecond (ids made in one millisecond differ in their random part).
        Assert.Equal(made.Order(StringComparer.Ordinal), read);
    }
}
