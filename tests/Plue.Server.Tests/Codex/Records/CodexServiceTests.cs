using System.Text.Json.Nodes;
using Plue.Codex.Records;
using Plue.Protocol;
using Plue.Rpc;
using static Plue.Tests.Support.Polling;

namespace Plue.Tests.Codex.Records;

public sealed class CodexServiceTests
{
    [Fact]
    public void Create_AppliesDefaults_AndStoresInSqlite()
    {
        using var world = new CodexWorld();
        var provider = world.Provider();

        var stored = world.Repository.Get(provider.Id)!;
        Assert.Equal("fake-openai", stored.Slug);
        Assert.Equal("providers", stored.Collection);
        Assert.Equal(1, stored.Version);
        Assert.Equal(120000, stored.Fields["timeout_ms"]!.GetValue<double>());
        Assert.True(stored.Fields["enabled"]!.GetValue<bool>());
        Assert.False(stored.Fields.ContainsKey("cli_path"));
    }

    [Fact]
    public void Create_InvalidFields_AreAllNamedInOneError()
    {
        using var world = new CodexWorld();
        var error = Assert.Throws<RpcException>(() => world.Service.Create(new CodexDraft
        {
            TemplateId = "llm-provider",
            Title = "Bad",
            Fields = new()
            {
                ["timeout_ms"] = 5,
                ["endpoint"] = "not a url",
                ["enabled"] = "yes",
                ["api_key_ref"] = "plain-text-key",
                ["color"] = "blue",
            },
        }));

        Assert.Equal(ErrorCodes.InvalidParams, error.Code);
        var fields = error.Detail!.Value.GetProperty("fields");
        foreach (var name in new[] { "catalog_provider_id", "timeout_ms", "endpoint", "enabled", "api_key_ref", "color" })
            Assert.True(fields.TryGetProperty(name, out _), $"{name} missing from {fields}");
        Assert.Contains("catalog_provider_id: is required", error.Message);
        Assert.Contains("timeout_ms: must be at least 1000", error.Message);
        Assert.Contains("color: is not a field of template 'llm-provider'", error.Message);
        Assert.Empty(world.Service.List(new CodexQuery()).Items);
    }

    [Fact]
    public void Create_CodexReference_MustExistAndMatchTheTemplateFilter()
    {
        using var world = new CodexWorld();
        // No shipped template keeps a codex_reference (a provider may be an env: instance, which has no record): a user template does.
        world.Templates.Write(world.Templates.HomeTemplates, "task-review", """
            { id: "task-review", name: "Review", parent_template: "task",
              fields: { reviewer: { type: "codex_reference", template_filter: ["llm-provider"] } } }
            """);
        world.Templates.Registry.Load();
        var missing = Assert.Throws<RpcException>(() => world.Service.Create(new CodexDraft
        {
            TemplateId = "task-review",
            Title = "Task",
            Fields = new() { ["goal"] = "g", ["reviewer"] = "codex://providers/ghost" },
        }));
        Assert.Contains("reviewer: codex://providers/ghost does not exist", missing.Message);

        var chatTask = world.Service.Create(new CodexDraft { TemplateId = "task", Title = "Other", Fields = new() { ["goal"] = "g" } });
        var wrongKind = Assert.Throws<RpcException>(() => world.Service.Create(new CodexDraft
        {
            TemplateId = "task-review",
            Title = "Task",
            Fields = new() { ["goal"] = "g", ["reviewer"] = $"codex://tasks/{chatTask.Slug}" },
        }));
        Assert.Contains("is a 'task', expected one of llm-provider", wrongKind.Message);

        var provider = world.Provider();
        var task = world.Service.Create(new CodexDraft
        {
            TemplateId = "task-review",
            Title = "Task",
            Fields = new() { ["goal"] = "g", ["reviewer"] = provider.Ref, ["provider_ref"] = "env:openai" },
        });
        Assert.Equal(provider.Ref, task.Fields["reviewer"]!.GetValue<string>());
        Assert.Equal("env:openai", task.Fields["provider_ref"]!.GetValue<string>()); // a task's provider may be an environment instance
        var badRef = Assert.Throws<RpcException>(() => world.Service.Create(new CodexDraft
        {
            TemplateId = "task", Title = "Bad", Fields = new() { ["goal"] = "g", ["provider_ref"] = "codex://chats/x" },
        }));
        Assert.Contains("provider_ref:", badRef.Message);
    }

    [Fact]
    public void Create_SelectMinMaxStepAndConditional_AreEnforced()
    {
        using var world = new CodexWorld();
        var error = Assert.Throws<RpcException>(() => world.Service.Create(new CodexDraft
        {
            TemplateId = "task-orchestrator",
            Title = "Plan",
            Fields = new()
            {
                ["goal"] = "g",
                ["max_turns"] = 2.5,
                ["concurrency"] = 99,
                ["child_templates"] = new JsonArray("task-code-writer", "task-nope"),
            },
        }));
        Assert.Contains("max_turns: must be a whole number", error.Message);
        Assert.Contains("concurrency: must be at most 20", error.Message);
        Assert.Contains("child_templates: [1] must be one of", error.Message);

        // cli_path applies only to claude-code instances: kept there, refused elsewhere (never dropped without a word).
        var cli = world.Service.Create(new CodexDraft { TemplateId = "llm-provider", Title = "CLI", Fields = new() { ["catalog_provider_id"] = "claude-code", ["cli_path"] = "/usr/bin/claude" } });
        Assert.Equal("/usr/bin/claude", cli.Fields["cli_path"]!.GetValue<string>());
        var http = Assert.Throws<RpcException>(() => world.Service.Create(new CodexDraft { TemplateId = "llm-provider", Title = "HTTP", Fields = new() { ["catalog_provider_id"] = "openai", ["cli_path"] = "/usr/bin/claude" } }));
        Assert.Contains("cli_path: does not apply while catalog_provider_id is \"openai\": the template applies it only when catalog_provider_id is one of \"claude-code\", \"acp-agent\"", http.Message);
        Assert.Matches(@"llm-provider\.json5:\d+\)", http.Message);
    }

    [Fact]
    public void LockedArray_MayNarrowButNeverWiden()
    {
        using var world = new CodexWorld();
        var narrowed = world.Service.Create(new CodexDraft
        {
            TemplateId = "task-docs-writer",
            Title = "Docs",
            Fields = new() { ["goal"] = "g", ["available_tools"] = new JsonArray("read", "search") },
        });
        Assert.Equal(2, narrowed.Fields["available_tools"]!.AsArray().Count);

        var widened = Assert.Throws<RpcException>(() => world.Service.Create(new CodexDraft
        {
            TemplateId = "task-docs-writer",
            Title = "Docs",
            Fields = new() { ["goal"] = "g", ["available_tools"] = new JsonArray("read", "bash") },
        }));
        Assert.Contains("available_tools: is locked", widened.Message);
        Assert.Contains("\"bash\"", widened.Message);
    }

    [Fact]
    public void Slugs_AreUniquePerCollection()
    {
        using var world = new CodexWorld();
        var a = world.Provider("Same Name");
        var b = world.Provider("Same Name");
        var task = world.Service.Create(new CodexDraft { TemplateId = "task", Title = "Same Name", Fields = new() { ["goal"] = "g" } });

        Assert.Equal("same-name", a.Slug);
        Assert.Equal("same-name-2", b.Slug);
        Assert.Equal("same-name", task.Slug);
        var taken = Assert.Throws<RpcException>(() => world.Service.Create(new CodexDraft
        {
            TemplateId = "llm-provider", Title = "X", Slug = "same-name", Fields = new() { ["catalog_provider_id"] = "openai" },
        }));
        Assert.Contains("slug: codex://providers/same-name is taken", taken.Message);
    }

    [Fact]
    public void Update_WithStaleVersion_IsRefused_AndChangesNothing()
    {
        using var world = new CodexWorld();
        var provider = world.Provider();
        var updated = world.Service.Update(new CodexChange { Id = provider.Id, Version = 1, Fields = new() { ["timeout_ms"] = 30000 } });
        Assert.Equal(2, updated.Version);

        var stale = Assert.Throws<RpcException>(() => world.Service.Update(new CodexChange { Id = provider.Id, Version = 1, Title = "Lost write" }));

        Assert.Equal(PlueErrorCodes.Conflict, stale.Code);
        Assert.Contains("you have version 1, it is at 2", stale.Message);
        Assert.Equal("Fake OpenAI", world.Service.Get(provider.Id).Title);
    }

    [Fact]
    public void Update_NullRemovesAField_AndDefaultsReturn()
    {
        using var world = new CodexWorld();
        var provider = world.Provider();
        var changed = world.Service.Update(new CodexChange { Id = provider.Id, Version = 1, Fields = new() { ["timeout_ms"] = 30000, ["default_model"] = "gpt-5" } });
        var reset = world.Service.Update(new CodexChange { Id = provider.Id, Version = changed.Version, Fields = new() { ["timeout_ms"] = null, ["default_model"] = null } });

        Assert.Equal(120000, reset.Fields["timeout_ms"]!.GetValue<double>());
        Assert.False(reset.Fields.ContainsKey("default_model"));
    }

    [Fact]
    public void History_AndUndo_WalkBackEveryChange_IncludingDelete()
    {
        using var world = new CodexWorld();
        var p = world.Provider("Original");
        var v2 = world.Service.Update(new CodexChange { Id = p.Id, Version = 1, Title = "Renamed" });
        world.Service.Update(new CodexChange { Id = p.Id, Version = v2.Version, Fields = new() { ["retry_max_attempts"] = 7 } });
        world.Service.Delete(p.Id);
        Assert.Equal(["delete", "update", "update", "create"], world.Service.History(p.Id).Select(h => h.Action));

        var restored = world.Service.Undo(p.Id)!;
        Assert.Equal(7, restored.Fields["retry_max_attempts"]!.GetValue<double>());
        Assert.Equal(5, restored.Version);

        Assert.Equal(3, world.Service.Undo(p.Id)!.Fields["retry_max_attempts"]!.GetValue<double>());
        Assert.Equal("Original", world.Service.Undo(p.Id)!.Title);
        Assert.Null(world.Service.Undo(p.Id));
        Assert.Throws<RpcException>(() => world.Service.Get(p.Id));
        // The undo that removed it is undone in turn: it comes back, and then nothing is left to undo.
        Assert.Equal("Original", world.Service.Undo(p.Id)!.Title);
        Assert.Equal("Original", world.Service.Get(p.Id).Title);
        Assert.Contains("Nothing to undo", Assert.Throws<RpcException>(() => world.Service.Undo(p.Id)).Message);
    }

    [Fact]
    public void List_FiltersByTemplateLineageTagsStatusSpawnedBy_AndPages()
    {
        using var world = new CodexWorld();
        var parent = world.Service.Create(new CodexDraft { TemplateId = "task-orchestrator", Title = "Boss", Fields = new() { ["goal"] = "g" } });
        for (var i = 0; i < 7; i++)
            world.Service.Create(new CodexDraft
            {
                TemplateId = i % 2 == 0 ? "task-code-writer" : "task-docs-writer",
                Title = $"Child {i}",
                Fields = new() { ["goal"] = "g" },
                Tags = i < 4 ? ["red", "big"] : ["blue"],
                SpawnedBy = parent.Id,
                Status = i == 0 ? "running" : "queued",
            });
        world.Provider();

        Assert.Equal(8, world.Service.List(new CodexQuery { TemplateIds = ["task"] }).Items.Count);
        Assert.Equal(4, world.Service.List(new CodexQuery { TemplateIds = ["task-code-writer"] }).Items.Count);
        Assert.Equal(4, world.Service.List(new CodexQuery { Tags = ["red", "big"] }).Items.Count);
        Assert.Equal(2, world.Service.List(new CodexQuery { TemplateIds = ["task-code-writer"], Tags = ["red"] }).Items.Count);
        Assert.Single(world.Service.List(new CodexQuery { Status = "running" }).Items);
        Assert.Equal(7, world.Service.List(new CodexQuery { SpawnedBy = parent.Id }).Items.Count);

        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = world.Service.List(new CodexQuery { TemplateIds = ["task"], Sort = CodexSort.TitleAsc, Limit = 3, Cursor = cursor });
            seen.AddRange(page.Items.Select(r => r.Title));
            cursor = page.NextCursor;
        }
        while (cursor is not null);
        Assert.Equal(["Boss", "Child 0", "Child 1", "Child 2", "Child 3", "Child 4", "Child 5", "Child 6"], seen);
    }

    [Fact]
    public async Task Hook_FiresOnFieldChange_WhenConditionsHold()
    {
        using var world = new CodexWorld();
        var provider = world.Provider();
        var chat = world.Service.Create(new CodexDraft
        {
            TemplateId = "ai-chat", Title = "Chat", Status = "idle",
            Fields = new() { ["instance_ref"] = provider.Ref, ["model_id"] = "gpt-5" },
        }); // user_message not set: the is_set condition holds back the hook
        Assert.Empty(world.HookLog.Messages);
        var sent = world.Service.Update(new CodexChange { Id = chat.Id, Version = chat.Version, Fields = new() { ["user_message"] = "hello" } });
        var renamed = world.Service.Update(new CodexChange { Id = chat.Id, Version = sent.Version, Title = "Renamed" }); // the field did not change: no second run
        var archived = world.Service.Update(new CodexChange { Id = chat.Id, Version = renamed.Version, Status = "archived", Fields = new() { ["user_message"] = "again" } });
        Assert.Equal("archived", archived.Status); // status archived: condition fails

        // Which hooks fired is decided, and logged, before each change returns; their actions run in the background.
        var fired = Assert.Single(world.HookLog.Messages);
        Assert.Equal($"Hook on 'user_message' of template ai-chat fired for codex {chat.Id} version {sent.Version}: running 'send_to_llm'", fired);
        await Eventually(() => !world.Action.Calls.IsEmpty, "the action of the hook on 'hello' ran");
        var call = Assert.Single(world.Action.Calls);
        Assert.Equal(chat.Id, call.Record.Id);
        Assert.Equal(sent.Version, call.Record.Version);
        Assert.Equal("hello", call.Record.Fields["user_message"]!.GetValue<string>());
    }

    [Fact]
    public void UnknownOrBrokenTemplate_GivesAClearError()
    {
        using var world = new CodexWorld();
        world.Templates.Write(world.Templates.HomeTemplates, "broken", "{ id: 'broken', name: ");
        Assert.Contains("Unknown template 'nope'", Assert.Throws<RpcException>(() => world.Service.Create(new CodexDraft { TemplateId = "nope", Title = "x" })).Message);
        world.Templates.Registry.Load();
        using var fresh = new CodexWorld();
    }
}
