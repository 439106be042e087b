using System.Text.Json.Serialization;

namespace Plue.Tests.Protocol;

// The shapes wire types take once kinds are enums and parts a hierarchy: the contract generator must describe them.

/// <summary>A shape, one of two kinds.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(CircleSample), "circle")]
[JsonDerivedType(typeof(SquareSample), "square")]
internal abstract record ShapeSample
{
    public required string Id { get; init; }
}

internal sealed record CircleSample : ShapeSample
{
    public required double Radius { get; init; }
}

internal sealed record SquareSample : ShapeSample
{
    public required ColorSample Color { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public double? Price { get; init; }
    public string? Label { get; init; }
}

internal enum ColorSample
{
    Red,
    [JsonStringEnumMemberName("dark_blue")]
    DarkBlue,
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, UseStringEnumConverter = true)]
[JsonSerializable(typeof(ShapeSample))]
internal sealed partial class SampleJsonContext : JsonSerializerContext;
