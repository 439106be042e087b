using System.Text.Json.Nodes;
using Plue.Agents;
using Plue.Protocol;
using Plue.Tests.Instances;

namespace Plue.Tests.Codex.Kinds;

/// <summary>
/// A provider record and a task record read a field's value by the same rule: an empty string is absent, a number
/// may come as text. The records here are written straight to the store, as an older sidecar or a hand edit leaves them.
/// </summary>
public sealed class FieldRuleTests
{
    [Fact]
    public void ProviderRecord_EmptyTextAndNumberAsText_ReadByTheRule()
    {
        using var world = new InstanceWorld();
        var created = world.Service.Create(new CreateInstanceParams { CatalogProviderId = "openai", DisplayName = "Old record" });
        var record = world.Codex.Service.Get(created.Id);
        var fields = record.Fields.DeepClone().AsObject();
        fields["endpoint"] = "";
        fields["default_model"] = "";
        fields["timeout_ms"] = "90000";
        fields["retry_max_attempts"] = "5";
        Assert.True(world.Codex.Repository.Write("update", record, record with { Fields = fields, Version = record.Version + 1 }, record.Version));

        var instance = world.Service.Get(created.Id);

        // An empty endpoint is no endpoint: the catalog's default applies, and no override is shown.
        Assert.Equal(world.Catalog.Find("openai")!.Summary.DefaultEndpoint, instance.Endpoint);
        Assert.Null(instance.EndpointOverride);
        Assert.Null(instance.DefaultModel);
        Assert.Equal(90_000, instance.TimeoutMs);
        Assert.Equal(5, instance.Retry.MaxAttempts);
    }

    [Fact]
    public void TaskRecord_EmptyTextAndNumberAsText_ReadByTheRule()
    {
        var task = new CodexRecord
        {
            Id = "task-1",
            TemplateId = TaskFields.BaseTemplate,
            Collection = "tasks",
            Slug = "tidy",
            Title = "Tidy",
            Fields = new JsonObject { ["goal"] = "Tidy the README", ["max_turns"] = "7", ["spend_cap_usd"] = "1.5", ["system_prompt_ref"] = "" },
            Tags = [],
            Version = 1,
            CreatedAt = DateTimeOffset.UnixEpoch,
            UpdatedAt = DateTimeOffset.UnixEpoch,
        };

        var message = TaskBrief.FirstMessage(task, new TaskGrantInfo([], new HashSet<string>(), 1, null));

        Assert.StartsWith("Tidy the README", message, StringComparison.Ordinal);
        Assert.Contains("- Model turns: at most 7\n", message, StringComparison.Ordinal);
        Assert.Contains("- Spend cap: $1.5,", message, StringComparison.Ordinal);
    }
}
