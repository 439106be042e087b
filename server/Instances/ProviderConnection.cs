namespace Plue.Instances;

/// <summary>
/// Everything a backend needs to talk to one provider instance, made by <see cref="InstanceResolver"/> per call.
/// <see cref="ApiKey"/> is a secret held in memory only: never log, serialize or put this record in an exception
/// (its ToString hides the key).
/// </summary>
public sealed record ProviderConnection
{
    public required string InstanceId { get; init; }
    /// <summary>The backend kind; see <see cref="Plue.Catalog.ProviderTypes"/>.</summary>
    public required string ProviderType { get; init; }
    public required string CatalogProviderId { get; init; }
    /// <summary>The effective base URL; null only for kinds without one (the claude CLI).</summary>
    public required string? Endpoint { get; init; }
    /// <summary>Null when the provider needs no key (Ollama, the claude CLI).</summary>
    public required string? ApiKey { get; init; }
    public required int TimeoutMs { get; init; }
    public required int FirstByteTimeoutMs { get; init; }
    public required int MaxAttempts { get; init; }
    public required int BaseDelayMs { get; init; }
    public string? CliPath { get; init; }
    public required ModelFilter ModelFilter { get; init; }

    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append($"InstanceId = {InstanceId}, ProviderType = {ProviderType}, CatalogProviderId = {CatalogProviderId}, Endpoint = {Endpoint}, ");
        builder.Append($"ApiKey = {(ApiKey is null ? "none" : "***")}, TimeoutMs = {TimeoutMs}, FirstByteTimeoutMs = {FirstByteTimeoutMs}, ");
        builder.Append($"MaxAttempts = {MaxAttempts}, BaseDelayMs = {BaseDelayMs}, CliPath = {CliPath}, ModelFilter = {ModelFilter}");
        return true;
    }
}
