using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Plue.Agents.Tools;

namespace Plue.Tests.Agents;

/// <summary>INTERIM: stand-ins for read and write until the real agent tools are merged; then this file goes.</summary>
internal static class InterimTools
{
    public static void Register(IServiceCollection services)
    {
        services.AddSingleton<IAgentTool>(new FileTool("write"));
        services.AddSingleton<IAgentTool>(new FileTool("read"));
    }

    private sealed class FileTool(string name) : IAgentTool
    {
        public string Name => name;
        public string Description => name + " a file";
        public JsonElement InputSchema { get; } = JsonDocument.Parse("""{"type":"object","properties":{"path":{"type":"string"},"content":{"type":"string"}},"required":["path"]}""").RootElement;
        public bool AsksApproval => name == "write";

        public async Task<ToolResult> RunAsync(JsonElement input, ToolContext context, CancellationToken cancellationToken)
        {
            var path = Path.Combine(context.WorkspaceFolders[0], input.GetProperty("path").GetString()!);
            if (name == "read") return new ToolResult(await File.ReadAllTextAsync(path, cancellationToken));
            await File.WriteAllTextAsync(path, input.GetProperty("content").GetString(), cancellationToken);
            return new ToolResult("Created " + input.GetProperty("path").GetString());
        }
    }
}
