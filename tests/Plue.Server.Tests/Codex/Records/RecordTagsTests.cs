using System.Text.Json.Nodes;
using Plue.Codex.Records;
using Plue.Protocol;

namespace Plue.Tests.Codex.Records;

/// <summary>A template's own <c>tags</c> field is the record's tags, so <c>codex/list {tags}</c> finds what the template tagged.</summary>
public sealed class RecordTagsTests
{
    private const string Tagged = """
        { id: "tagged-note", name: "Tagged note", collection: "notes",
          fields: [ { name: "tags", type: "array", items: { type: "text" }, default: ["agent", "code-writer"] } ] }
        """;

    [Fact]
    public void Create_TemplateTagsField_BecomesTheRecordsTags_AndListFindsThem()
    {
        using var world = new CodexWorld();
        world.Templates.Write(world.Templates.HomeTemplates, "tagged-note", Tagged);

        var record = world.Service.Create(new CodexDraft { TemplateId = "tagged-note", Title = "One", Tags = ["mine"] });

        Assert.Equal(["mine", "agent", "code-writer"], record.Tags);
        Assert.Equal([record.Id], world.Service.List(new CodexQuery { Tags = ["agent"] }).Items.Select(r => r.Id));
    }

    [Fact]
    public void Update_TemplateTagsFieldChanged_RecordTagsFollow_OwnTagsStay()
    {
        using var world = new CodexWorld();
        world.Templates.Write(world.Templates.HomeTemplates, "tagged-note", Tagged);
        var record = world.Service.Create(new CodexDraft { TemplateId = "tagged-note", Title = "One", Tags = ["mine"] });

        var updated = world.Service.Update(new CodexChange { Id = record.Id, Version = record.Version, Fields = new() { ["tags"] = new JsonArray("docs") } });

        Assert.Equal(["mine", "docs"], updated.Tags);
        Assert.Empty(world.Service.List(new CodexQuery { Tags = ["agent"] }).Items);
        Assert.Single(world.Service.List(new CodexQuery { Tags = ["docs"] }).Items);
    }
}
