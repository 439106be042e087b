using Plue.Codex.Templates;
using Plue.Protocol;

namespace Plue.Tests.Codex.Templates;

public sealed class TemplateLoadingTests
{
    [Fact]
    public void ShippedTemplates_AllLoad_WithoutProblems()
    {
        using var world = new TemplateWorld(withShipped: true);
        var set = world.Registry.Load();

        Assert.Empty(set.Files.SelectMany(f => f.Problems).Select(p => p.ToString()));
        Assert.Equal(["agent", "agent-hook", "ai-chat", "catalog", "chat-mode", "command", "docker-engine", "instruction", "llm-provider", "mcp-server", "mode-agent", "mode-ask", "mode-plan", "sandbox-container", "sandbox-off", "sandbox-policy", "sandbox-read-only", "sandbox-workspace-write", "skill", "task", "task-code-writer", "task-docs-writer", "task-orchestrator", "tool-grant"], set.Templates.Keys.Order());
        var writer = set.Templates["task-code-writer"];
        Assert.Equal(["task-code-writer", "task"], writer.Lineage);
        Assert.Equal("tasks", writer.Collection);
        Assert.NotNull(writer.Field("goal"));
        Assert.True(writer.Field("available_tools")!.Locked);
        Assert.Equal("providers", set.Templates["llm-provider"].Collection);
        Assert.Equal("mcp-servers", set.Templates["mcp-server"].Collection);
        Assert.Equal("send_to_llm", Assert.Single(set.Templates["ai-chat"].Hooks).Action);
        // What a form must treat specially is said by the templates, which a user's own template can say too.
        Assert.Equal(FieldRole.Secret, set.Templates["llm-provider"].Field("api_key_ref")!.Role);
        Assert.Equal(FieldRole.Model, set.Templates["llm-provider"].Field("default_model")!.Role);
        Assert.Equal(FieldRole.Model, writer.Field("model_id")!.Role);
        Assert.Equal(FieldRole.FeatureWritten, writer.Field("result")!.Role);
        Assert.Equal(FieldRole.FeatureWritten, set.Templates["ai-chat"].Field("user_message")!.Role);
        Assert.Equal(FieldRole.Instance, writer.Field("provider_ref")!.Role);
        Assert.Equal(FieldRole.Instance, set.Templates["chat-mode"].Field("instance_ref")!.Role);
        Assert.Equal(FieldRole.Instance, set.Templates["llm-provider"].Field("fallbacks")!.Items!.Properties!.Single(p => p.Name == "provider_ref").Role);
        Assert.Null(writer.Field("goal")!.Role);
    }

    [Fact]
    public void TextFieldWithoutARole_TakesItFromItsPattern_AsTemplatesSaidItBeforeRoles()
    {
        using var world = new TemplateWorld();
        world.Write(world.Shipped, "t", """
            { id: "t", name: "T", fields: {
                runner: { type: "text", pattern: "codex://providers/[a-z0-9-]+|env:[a-z0-9-]+" },
                token: { type: "text", pattern: "^vault://[a-z]+/[A-Za-z_]+$" },
                named: { type: "text", role: "instance" },
                plain: { type: "text", pattern: "[a-z]+" },
                written: { type: "text", role: "feature-written", pattern: "codex://providers/[a-z]+" },
            } }
            """);

        var template = world.Registry.Load().Templates["t"];

        Assert.Equal(FieldRole.Instance, template.Field("runner")!.Role);
        Assert.Equal(FieldRole.Secret, template.Field("token")!.Role);
        Assert.Equal(FieldRole.Instance, template.Field("named")!.Role);
        Assert.Null(template.Field("plain")!.Role);
        Assert.Equal(FieldRole.FeatureWritten, template.Field("written")!.Role);
    }

    [Fact]
    public void BrokenFile_IsReportedWithLineAndColumn_AndOthersStillLoad()
    {
        using var world = new TemplateWorld();
        world.Write(world.Shipped, "good", """{ id: "good", name: "Good", fields: { a: { type: "text" } } }""");
        var broken = world.Write(world.Shipped, "broken", "{\n  id: \"broken\",\n  name: \"Broken\",\n  fields: { a: { type: 'text' }, }\n  oops\n}");

        var set = world.Registry.Load();

        Assert.True(set.Templates.ContainsKey("good"));
        Assert.False(set.Templates.ContainsKey("broken"));
        var problem = Assert.Single(set.Files.Single(f => f.Path == broken).Problems);
        Assert.Equal((5, 3), (problem.Line, problem.Column));
        Assert.StartsWith($"{broken}:5:3: ", problem.ToString());
    }

    [Theory]
    [InlineData("""{ id: "t", name: "T", fields: { a: { type: "texty" } } }""", 1, 44, "unknown type 'texty'")]
    [InlineData("{ id: \"t\", name: \"T\",\n  fields: {\n    n: { type: \"number\", min: 0, max: 5,\n         default: 9 } } }", 4, 19, "default does not fit: n must be at most 5")]
    [InlineData("{ id: \"t\", name: \"T\", fields: {\n  a: { type: \"text\", conditional: { field: \"ghost\", value: 1 } } } }", 2, 35, "conditional names missing field 'ghost'")]
    [InlineData("""{ id: "t", name: "T", fields: { s: { type: "select", options: [] } } }""", 1, 63, "non-empty 'options'")]
    [InlineData("""{ id: "t", name: "T", fields: { n: { type: "number", min: 5, max: 1 } } }""", 1, 59, "min 5 is greater than max 1")]
    [InlineData("""{ id: "other", name: "T" }""", 1, 7, "must equal the file name 't'")]
    [InlineData("""{ id: "t", fields: {} }""", 1, 1, "'name' is required")]
    [InlineData("""{ id: "t", name: "T", version: "one" }""", 1, 32, "'version' must be a whole number or a semver string")]
    [InlineData("""{ id: "t", name: "T", fields: { a: { type: "text" } }, automation: { hooks: [{ trigger: "on_save", field: "a", action: "x" }] } }""", 1, 89, "unknown hook trigger 'on_save'")]
    [InlineData("""{ id: "t", name: "T", fields: { a: { type: "text" } }, automation: { hooks: [{ trigger: "field_change", field: "b", action: "x" }] } }""", 1, 112, "field 'b' does not exist")]
    [InlineData("""{ id: "t", name: "T", parent_template: "nobody" }""", 1, 40, "parent template 'nobody' does not exist")]
    [InlineData("""{ id: "t", name: "T", fields: { u: { type: "url", default: "ftp://x" } } }""", 1, 60, "absolute http or https URL")]
    [InlineData("""{ id: "t", name: "T", fields: { o: { type: "object" } } }""", 1, 36, "object field 'o' needs 'properties'")]
    [InlineData("""{ id: "t", name: "T", fields: [{ name: "a", type: "text" }, { name: "a", type: "number" }] }""", 1, 61, "field 'a' is defined twice")]
    [InlineData("""{ id: "t", name: "T", fields: [{ type: "text" }] }""", 1, 32, "'name' is required")]
    [InlineData("""{ id: "t", name: "T", fields: { m: { type: "array" } }, automation: { hooks: [{ trigger: "field_change", field: "m", action: "x", conditions: [{ field: "m[-1", equals: 1 }] }] } }""", 1, 153, "must be a field name or a path")]
    [InlineData("""{ id: "t", name: "T", metadata: "robot" }""", 1, 33, "'metadata' must be an object")]
    [InlineData("""{ id: "t", name: "T", fields: { a: { type: "text", role: "boss" } } }""", 1, 58, "unknown role 'boss' (known: secret, model, instance, feature-written)")]
    [InlineData("""{ id: "t", name: "T", fields: { n: { type: "number", role: "instance" } } }""", 1, 60, "role 'instance' is for text fields only")]
    [InlineData("""{ id: "t", name: "T", fields: { n: { type: "number", role: "model" } } }""", 1, 60, "role 'model' is for text fields only")]
    public void InvalidTemplate_IsReportedAtItsPosition(string text, int line, int column, string expected)
    {
        using var world = new TemplateWorld();
        world.Write(world.Shipped, "t", text);

        var set = world.Registry.Load();

        Assert.False(set.Templates.ContainsKey("t"));
        var problem = Assert.Single(set.Files.Single().Problems, p => p.Message.Contains(expected, StringComparison.Ordinal));
        Assert.Equal((line, column), (problem.Line, problem.Column));
    }

    [Fact]
    public void Inheritance_ChildWins_ParentFieldsKept_CollectionAndHooksInherited()
    {
        using var world = new TemplateWorld();
        world.Write(world.Shipped, "base", """
            { id: "base", name: "Base", collection: "things",
              fields: { a: { type: "text", default: "p" }, b: { type: "number" }, m: { type: "textarea" } },
              automation: { hooks: [{ trigger: "field_change", field: "m", action: "base_action" }] } }
            """);
        world.Write(world.Shipped, "child", """
            { id: "child", name: "Child", parent_template: "base",
              fields: { a: { type: "text", default: "c" }, c: { type: "boolean" } },
              automation: { hooks: [{ trigger: "field_change", field: "c", action: "child_action" }] } }
            """);

        var child = world.Registry.Load().Templates["child"];

        Assert.Equal(["a", "b", "m", "c"], child.Fields.Select(f => f.Name));
        Assert.Equal("c", child.Field("a")!.Default!.GetValue<string>());
        Assert.Equal("things", child.Collection);
        Assert.Equal(["base_action", "child_action"], child.Hooks.Select(h => h.Action));
        Assert.True(child.IsA("base"));
    }

    [Fact]
    public void LockedParentField_CannotBeOverridden()
    {
        using var world = new TemplateWorld();
        world.Write(world.Shipped, "base", """{ id: "base", name: "Base", fields: { tools: { type: "text", locked: true, default: "x" } } }""");
        world.Write(world.Shipped, "child", "{ id: \"child\", name: \"Child\", parent_template: \"base\",\n  fields: { tools: { type: \"text\" } } }");

        var set = world.Registry.Load();

        Assert.True(set.Templates.ContainsKey("base"));
        Assert.False(set.Templates.ContainsKey("child"));
        var problem = set.Files.Single(f => f.Id == "child").Problems.Single();
        Assert.Contains("field 'tools' is locked by 'base'", problem.Message);
        Assert.Equal((2, 20), (problem.Line, problem.Column));
    }

    [Fact]
    public void InheritanceCycle_IsReported()
    {
        using var world = new TemplateWorld();
        world.Write(world.Shipped, "a", """{ id: "a", name: "A", parent_template: "b" }""");
        world.Write(world.Shipped, "b", """{ id: "b", name: "B", parent_template: "a" }""");

        var set = world.Registry.Load();

        Assert.Empty(set.Templates);
        Assert.Contains(set.Files.SelectMany(f => f.Problems), p => p.Message.Contains("inheritance cycle", StringComparison.Ordinal));
    }

    [Fact]
    public void WorkspaceOverHomeOverShipped_ById()
    {
        using var world = new TemplateWorld(trusted: true);
        world.Write(world.Shipped, "t", """{ id: "t", name: "Shipped" }""");
        world.Write(world.HomeTemplates, "t", """{ id: "t", name: "Home" }""");
        world.Write(world.WorkspaceTemplates, "t", """{ id: "t", name: "Workspace" }""");

        var set = world.Registry.Load();

        Assert.Equal("Workspace", set.Templates["t"].Name);
        Assert.Equal("workspace", set.Templates["t"].Source);
        Assert.Equal(1, set.Files.Count(f => f.Active));
    }

    [Fact]
    public void UntrustedWorkspace_TemplatesAreNotRead()
    {
        using var world = new TemplateWorld(trusted: false);
        world.Write(world.Shipped, "t", """{ id: "t", name: "Shipped" }""");
        world.Write(world.WorkspaceTemplates, "t", """{ id: "t", name: "Planted" }""");

        Assert.Equal("Shipped", world.Registry.Load().Templates["t"].Name);
    }

    [Fact]
    public void BrokenOverride_FallsBackToTheTemplateItOverrides()
    {
        using var world = new TemplateWorld();
        world.Write(world.Shipped, "t", """{ id: "t", name: "Shipped" }""");
        world.Write(world.HomeTemplates, "t", """{ id: "t", name: """);

        var set = world.Registry.Load();

        Assert.Equal("Shipped", set.Templates["t"].Name);
        Assert.NotEmpty(set.Files.Single(f => f.Source == "home").Problems);
    }

    [Fact]
    public async Task EditedFile_Reloads_AndListenersAreTold()
    {
        using var world = new TemplateWorld();
        var path = world.Write(world.HomeTemplates, "t", """{ id: "t", name: "Before" }""");
        Assert.Equal("Before", world.Registry.Current.Templates["t"].Name);
        var changed = new TaskCompletionSource<TemplateSet>(TaskCreationOptions.RunContinuationsAsynchronously);
        // A save can be seen half-written (truncate, then write): wait for the reload that sees it whole.
        world.Registry.Changed += set =>
        {
            if (set.Templates.TryGetValue("t", out var t) && t.Name == "After") changed.TrySetResult(set);
        };

        await File.WriteAllTextAsync(path, """{ id: "t", name: "After" }""");

        var set = await changed.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("After", set.Templates["t"].Name);
        Assert.Equal("After", world.Registry.Current.Templates["t"].Name);
    }

    [Fact]
    public async Task AWorkspaceTemplatesFolderMadeLater_TwoLevelsDown_IsRead_WithoutWatchingTheWholeWorkspace()
    {
        // Nothing of .plue/templates exists: the workspace folder itself is watched for entries only, then .plue, then
        // templates, each as it appears.
        using var world = new TemplateWorld();
        Assert.DoesNotContain("t", world.Registry.Current.Templates.Keys);
        var changed = new TaskCompletionSource<TemplateSet>(TaskCreationOptions.RunContinuationsAsynchronously);
        world.Registry.Changed += set =>
        {
            if (set.Templates.TryGetValue("t", out var t) && t.Name == "Later") changed.TrySetResult(set);
        };

        var plue = Directory.CreateDirectory(System.IO.Path.Combine(world.Workspace, ".plue")).FullName;
        await Task.Delay(400); // the reload that follows .plue's making watches it
        var templates = Directory.CreateDirectory(System.IO.Path.Combine(plue, "templates")).FullName;
        await Task.Delay(400);
        world.Write(templates, "t", """{ id: "t", name: "Later" }""");

        var set = await changed.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("workspace", set.Templates["t"].Source);
    }

    [Fact]
    public async Task ATemplatesFolderDeletedAndMadeAgainAtOnce_IsStillWatched_ItsNewTemplatesRead()
    {
        // `git checkout` of a branch without the folder and back: Linux's watch went with the deleted folder, and the
        // reread that follows sees the same set of folders to watch.
        using var world = new TemplateWorld();
        world.Write(world.HomeTemplates, "t", """{ id: "t", name: "Before" }""");
        Assert.Equal("Before", world.Registry.Current.Templates["t"].Name);
        var gone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var changed = new TaskCompletionSource<TemplateSet>(TaskCreationOptions.RunContinuationsAsynchronously);
        world.Registry.Changed += set =>
        {
            if (!set.Templates.ContainsKey("t")) gone.TrySetResult();
            if (set.Templates.TryGetValue("u", out var u) && u.Name == "Made after") changed.TrySetResult(set);
        };

        Directory.Delete(world.HomeTemplates, recursive: true);
        Directory.CreateDirectory(System.IO.Path.Combine(world.Home, "templates"));
        await gone.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await Task.Delay(400); // past the reread's debounce: nothing more is coming for the deletion
        world.Write(world.HomeTemplates, "u", """{ id: "u", name: "Made after" }""");

        var set = await changed.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("home", set.Templates["u"].Source);
    }
}
