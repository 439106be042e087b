using System.Text.Json;

namespace Plue.Agents.Tools;

/// <summary>A tool that can say in words what one call will do, for the approval prompt ("Run: npm test").</summary>
public interface IDescribesCall
{
    string DescribeCall(JsonElement input);
}
