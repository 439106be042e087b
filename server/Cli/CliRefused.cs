using System.Text.Json;

namespace Plue.Cli;

/// <summary>A record the sidecar refused, told by the options that set its fields rather than by the fields' names.</summary>
internal static class CliRefused
{
    /// <summary>Runs <paramref name="create"/>; a refusal with field errors becomes a usage error naming each field as <paramref name="optionOf"/> says.</summary>
    public static async Task<T> Fields<T>(Func<Task<T>> create, Func<string, string> optionOf)
    {
        try
        {
            return await create().ConfigureAwait(false);
        }
        catch (Rpc.RpcException e) when (e.Code == Rpc.ErrorCodes.InvalidParams && e.Detail is { ValueKind: JsonValueKind.Object } detail
            && detail.TryGetProperty("fields", out var fields) && fields.ValueKind == JsonValueKind.Object)
        {
            var said = fields.EnumerateObject().Select(f => $"{optionOf(f.Name)}: {f.Value.GetString()}");
            throw new CliError(string.Join("; ", said), CliError.Usage);
        }
    }
}
