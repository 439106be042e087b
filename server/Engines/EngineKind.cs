using System.Text.Json.Nodes;
using Plue.Codex.Kinds;
using Plue.Codex.Records;
using Plue.Codex.References;
using Plue.Protocol;

namespace Plue.Engines;

/// <summary>
/// The <c>docker-engine</c> kind: what the template cannot say about an engine's address, checked at every door
/// alike: a host Docker would accept, a tcp:// engine's TLS as all three files or none (never on another kind of host), and
/// a swarm's registry as host[:port].
/// </summary>
public sealed class EngineKind : IRecordKind
{
    public string TemplateId => EngineRecordFields.TemplateId;

    public IEnumerable<FieldError> Check(CodexRecord? before, JsonObject fields)
    {
        var engine = EngineRecordFields.Of(fields);
        if (engine.IsSwarm && engine.Registry is null)
            yield return new FieldError("registry", "A swarm needs the registry its nodes pull from (host[:port], for example registry.lan:5000): Plue pushes its runner image there.");
        else if (engine.Registry is { } registry && EngineRecordFields.RegistryProblem(registry) is { } badRegistry)
            yield return new FieldError("registry", badRegistry);
        if (engine.Connection != EngineRecordFields.HostConnection) yield break;
        EngineAddress? address = null;
        string? refused = null;
        try
        {
            address = engine.Host is { } host ? EngineAddress.Host(host) : null;
        }
        catch (EngineException e)
        {
            refused = e.Message;
        }
        if (refused is not null) yield return new FieldError("host", refused);
        if (!engine.NamesTls) yield break;
        if (address is not null && address.Reach != EngineReach.Tcp)
            yield return new FieldError("tls_ca", "TLS files are for a tcp:// engine only: clear them, or reach the engine over tcp://.");
        foreach (var (field, value) in new[] { ("tls_ca", engine.TlsCa), ("tls_cert", engine.TlsCert), ("tls_key", engine.TlsKey) })
        {
            if (value is null)
                yield return new FieldError(field, "Give all three TLS files (CA, certificate and key), or none.");
            else if (!value.StartsWith(VaultReference.Scheme, StringComparison.Ordinal) && !Path.IsPathFullyQualified(value))
                yield return new FieldError(field, "Give the PEM file's full path, or a vault:// reference to its text.");
        }
    }
}
