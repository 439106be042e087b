using Plue.Agents;
using Plue.Codex.Records;
using Plue.Protocol;
using Plue.Tests.Codex.Records;
using Plue.Tests.Support;
using Plue.Transcripts;

namespace Plue.Tests.Agents;

/// <summary>
/// A task with no price of its own for unpriced models (one made before the field) takes its template's default,
/// read from the task template in force, not from a copy in the code: a user's task template with another default
/// changes it. Real templates and SQLite in a temp dir.
/// </summary>
public sealed class UnpricedPriceDefaultTests : IDisposable
{
    private readonly CodexWorld _world = new();

    public void Dispose() => _world.Dispose();

    [Fact]
    public async Task ATaskWithoutItsOwnPrice_TakesTheTemplatesDefault_TheUsersWhenItReplacesTheShipped()
    {
        var templates = _world.Templates;
        var views = new TaskViews(new TaskRecords(_world.Service, templates.Registry), new MessageStore(_world.Database, TestMeters.Shared), () => templates.Registry);
        var made = _world.Service.Create(new CodexDraft { TemplateId = TaskFields.BaseTemplate, Title = "Older task", Fields = new() { ["goal"] = "anything" } });
        var fields = made.Fields.DeepClone().AsObject();
        fields.Remove(TaskFields.UnpricedUsdPerMillion);
        var older = made with { Fields = fields };

        var shipped = templates.Registry.Find(TaskFields.BaseTemplate)!;
        Assert.Equal(decimal.Parse(shipped.Field(TaskFields.UnpricedUsdPerMillion)!.Default!.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture), views.UnpricedPrice(older));

        // A user's task template with another default: the task takes its, not a number kept in the code.
        var text = File.ReadAllText(shipped.FilePath);
        Assert.Contains("default: 10,", text);
        templates.Write(templates.HomeTemplates, TaskFields.BaseTemplate, text.Replace("min: 0.01,\n      default: 10,", "min: 0.01,\n      default: 3.5,"));
        for (var i = 0; i < 100 && templates.Registry.Find(TaskFields.BaseTemplate)!.Source == "shipped"; i++) await Task.Delay(50);
        Assert.NotEqual("shipped", templates.Registry.Find(TaskFields.BaseTemplate)!.Source);
        Assert.Equal(3.5m, views.UnpricedPrice(older));
        // Its own price, when it has one, wins.
        Assert.Equal(10m, views.UnpricedPrice(made));
    }
}
