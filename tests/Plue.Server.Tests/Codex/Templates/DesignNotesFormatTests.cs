using System.Text.Json.Nodes;
using Plue.Codex.Automation;
using Plue.Codex.Records;
using Plue.Codex.Templates;
using Plue.Protocol;
using Plue.Tests.Support;

namespace Plue.Tests.Codex.Templates;

/// <summary>
/// The design notes' way of writing templates, loaded beside the documented one: the four example templates
/// (tests/fixtures/templates/design-notes) unchanged over the shipped ones, and each construct they use.
/// </summary>
public sealed class DesignNotesFormatTests
{
    private static readonly string[] s_notes = ["ai-chat", "llm-provider", "task-code-writer", "task-orchestrator"];

    private static TemplateWorld NotesOverShipped()
    {
        var world = new TemplateWorld(withShipped: true);
        foreach (var id in s_notes)
            File.Copy(RepoPaths.Fixtures("templates", "design-notes", id + ".json5"), Path.Combine(world.HomeTemplates, id + ".json5"));
        return world;
    }

    [Fact]
    public void TheFourDesignNotesTemplates_LoadUnchanged_WithNoErrors_AndReplaceTheShippedOnes()
    {
        using var world = NotesOverShipped();
        var set = world.Registry.Load();

        var notesFiles = set.Files.Where(f => f.Source == "home").ToList();
        Assert.Equal(s_notes, notesFiles.Select(f => f.Id).Order());
        Assert.Empty(notesFiles.SelectMany(f => f.Problems).Where(p => !p.IsWarning).Select(p => p.ToString()));
        foreach (var id in s_notes) Assert.Equal("home", set.Templates[id].Source);

        var chat = set.Templates["ai-chat"];
        Assert.Equal((1, "1.0.0"), (chat.Version, chat.VersionText));
        Assert.Equal("💬", chat.Metadata!["icon"]!.GetValue<string>());
        Assert.Equal("#10B981", chat.Metadata["color"]!.GetValue<string>());
        Assert.Equal(["provider_ref", "system_prompt_ref", "system_prompt_override", "messages", "context_files", "available_tools"], chat.Fields.Select(f => f.Name));
        Assert.Equal("Select a provider...", chat.Field("provider_ref")!.Placeholder);
        Assert.Equal(["llm-provider"], chat.Field("provider_ref")!.TemplateFilter);
        var message = chat.Field("messages")!.Items!;
        Assert.Equal(FieldType.Object, message.Type);
        Assert.Equal(["role", "content", "timestamp"], message.Properties!.Select(p => p.Name));
        Assert.True(message.Properties![2] is { Type: FieldType.Datetime, Auto: true });
        Assert.Equal("messages[-1].role", Assert.Single(Assert.Single(chat.Hooks).Conditions).Field);

        var provider = set.Templates["llm-provider"];
        Assert.Equal("🤖", provider.Metadata!["icon"]!.GetValue<string>());
        Assert.Equal("""["anthropic","openai"]""", provider.Field("api_key_ref")!.Conditional!.Value!.ToJsonString());

        var writer = set.Templates["task-code-writer"];
        Assert.Equal(["task-code-writer", "task"], writer.Lineage);
        Assert.Equal("tasks", writer.Collection);
        Assert.Equal("codex://providers/local-llama3-70b", writer.Field("provider_ref")!.Default!.GetValue<string>());
        Assert.NotNull(writer.Field("goal")); // inherited from the shipped task
        var orchestrator = set.Templates["task-orchestrator"];
        Assert.True(orchestrator.Field("available_tools")!.Locked);
        Assert.Equal("codex://providers/claude-4.5-sonnet", orchestrator.Field("provider_ref")!.Default!.GetValue<string>());
    }

    [Fact]
    public void UnknownMembersAndOptions_AreWarningsWithTheirPosition_NotRefusals()
    {
        using var world = new TemplateWorld();
        var file = world.Write(world.Shipped, "t", "{ id: \"t\", name: \"T\",\n  owner: \"me\",\n  fields: [{ name: \"a\", type: \"text\",\n    min: 3 }] }");

        var set = world.Registry.Load();

        Assert.True(set.Templates.ContainsKey("t"));
        var problems = set.Files.Single().Problems;
        Assert.All(problems, p => Assert.True(p.IsWarning));
        Assert.StartsWith($"{file}:2:10: warning: unknown template member 'owner' is ignored", problems[0].ToString());
        Assert.Equal((4, 10), (problems[1].Line, problems[1].Column));
        Assert.Contains("'min' is not an option of a text field", problems[1].Message);
    }

    [Fact]
    public void AnErrorInTheListForm_NamesTheLineOfTheFieldAsWritten()
    {
        using var world = new TemplateWorld();
        world.Write(world.Shipped, "t", "{ id: \"t\", name: \"T\", fields: [\n  { name: \"a\", type: \"text\" },\n  { name: \"b\", type: \"text\",\n    conditional: { field: \"ghost\", value: [1, 2] } }] }");

        var problem = Assert.Single(world.Registry.Load().Files.Single().Problems);

        Assert.Equal((4, 18), (problem.Line, problem.Column));
        Assert.Contains("conditional names missing field 'ghost'", problem.Message);
    }

    [Fact]
    public void ListValuedConditional_AppliesWhenTheOtherFieldHasAnyOfThem()
    {
        using var world = NotesOverShipped();
        var provider = world.Registry.Load().Templates["llm-provider"];
        var validator = new FieldValidator(_ => null, _ => null);
        var key = "vault://anthropic/api_key";

        var (openai, errors) = validator.Validate(provider, new JsonObject { ["provider_type"] = "openai", ["model"] = "gpt-4", ["api_key_ref"] = key });
        var (ollama, _) = validator.Validate(provider, new JsonObject { ["provider_type"] = "ollama", ["model"] = "llama3", ["api_key_ref"] = key });

        Assert.Empty(errors);
        Assert.Equal(key, openai["api_key_ref"]!.GetValue<string>());
        Assert.Null(openai["endpoint"]); // only for ollama
        Assert.Null(ollama["api_key_ref"]);
        Assert.Equal("http://localhost:11434/v1", ollama["endpoint"]!.GetValue<string>());
    }

    [Fact]
    public void ObjectItems_AreChecked_AndAutoDatetimesStamped()
    {
        using var world = NotesOverShipped();
        var chat = world.Registry.Load().Templates["ai-chat"];
        var validator = new FieldValidator(_ => null, _ => null);
        static JsonObject Chat(JsonObject message) => new() { ["provider_ref"] = "codex://providers/claude-4.5-sonnet", ["messages"] = new JsonArray(message) };

        var (fields, errors) = validator.Validate(chat, Chat(new JsonObject { ["role"] = "user", ["content"] = "hi" }));
        var (_, bad) = validator.Validate(chat, Chat(new JsonObject { ["role"] = "robot", ["mood"] = "x", ["timestamp"] = "yesterday" }));

        Assert.Equal(["provider_ref"], errors.Select(e => e.Field)); // no such record here
        Assert.True(DateTimeOffset.TryParse(fields["messages"]![0]!["timestamp"]!.GetValue<string>(), out _));
        Assert.Equal("codex://prompts/default-assistant.md", fields["system_prompt_ref"]!.GetValue<string>());
        var messages = string.Join("; ", bad.Select(e => e.Message));
        Assert.Contains("[0].role must be one of user, assistant, system", messages);
        Assert.Contains("[0].mood is not a property of it", messages);
        Assert.Contains("[0].timestamp must be an ISO 8601 date and time", messages);
    }

    [Theory]
    [InlineData("user", true)]
    [InlineData("assistant", false)]
    public void HookConditionOnAPath_ReadsTheLastMessage(string lastRole, bool fires)
    {
        using var world = NotesOverShipped();
        var chat = world.Registry.Load().Templates["ai-chat"];
        var record = new CodexRecord
        {
            Id = "c", TemplateId = "ai-chat", Collection = "ai-chat", Slug = "c", Title = "C", Version = 1, Tags = [],
            CreatedAt = DateTimeOffset.UnixEpoch, UpdatedAt = DateTimeOffset.UnixEpoch,
            Fields = new JsonObject { ["messages"] = new JsonArray(new JsonObject { ["role"] = "user" }, new JsonObject { ["role"] = lastRole }) },
        };

        Assert.Equal(fires, HookEngine.Firing(chat, null, record).Count == 1);
    }

    [Theory]
    [InlineData("claude-4.5-sonnet", true)]
    [InlineData("a.b-c", true)]
    [InlineData("a..b", false)]
    [InlineData("ends.", false)]
    [InlineData(".starts", false)]
    public void SlugsMayHoldSingleDots(string slug, bool valid)
    {
        Assert.Equal(valid, Slugs.IsValid(slug));
        Assert.Equal(valid, Plue.Codex.References.CodexReference.TryParse($"codex://providers/{slug}", out _, out _));
    }

    [Fact]
    public void Validate_ReportsAnUnsavedEdit_WithoutLoadingIt()
    {
        using var world = new TemplateWorld();
        var file = world.Write(world.HomeTemplates, "mine", """{ id: "mine", name: "Mine", fields: { a: { type: "text" } } }""");
        world.Write(world.HomeTemplates, "child", """{ id: "child", name: "Child", parent_template: "mine", fields: { b: { type: "text", conditional: { field: "a", value: "x" } } } }""");
        _ = world.Registry.Current;

        var (problems, id) = world.Registry.Validate(file, "{ id: \"mine\", name: \"Mine\",\n  fields: { z: { type: \"texty\" } } }");
        var (clean, cleanId) = world.Registry.Validate(file, """{ id: "mine", name: "Mine", fields: { a: { type: "text" } } }""");

        Assert.Null(id);
        var problem = Assert.Single(problems, p => p.Message.Contains("unknown type 'texty'", StringComparison.Ordinal));
        Assert.Equal((2, 24), (problem.Line, problem.Column));
        Assert.Empty(clean);
        Assert.Equal("mine", cleanId);
        Assert.Equal("a", world.Registry.Current.Templates["mine"].Fields.Single().Name); // nothing was loaded
    }
}
