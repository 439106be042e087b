namespace Plue.Protocol;

/// <summary><c>lm/models</c> params: only the models of this vendor (absent: every vendor's).</summary>
public sealed record LmModelsParams
{
    public string? Vendor { get; init; }
}
