namespace Plue.ContractGen.Model;

public enum ScalarKind
{
    String,
    Number,
    Boolean,
    /// <summary>A date and time as an ISO 8601 string with offset.</summary>
    DateTime,
    /// <summary>Any JSON value.</summary>
    JsonValue,
    JsonObject,
}
