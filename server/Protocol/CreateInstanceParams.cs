namespace Plue.Protocol;

/// <summary><c>instances/create</c> params.</summary>
public sealed record CreateInstanceParams : InstanceSettings
{
    public required string DisplayName { get; init; }
    public required string CatalogProviderId { get; init; }

    public override string ToString() => $"CreateInstanceParams {{ DisplayName = {DisplayName}, CatalogProviderId = {CatalogProviderId} }}";
}
