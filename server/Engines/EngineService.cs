using System.Diagnostics;
using Plue.Codex.Records;
using Plue.Codex.References;
using Plue.Protocol;
using Plue.Vault;
using Plue.Workspace;

namespace Plue.Engines;

/// <summary>The Docker engines the user named (<c>docker-engine</c> records): reaching one, and its test.</summary>
public sealed class EngineService(CodexService codex, IVault vault, WorkspaceContext workspace, Func<string, string?> environment)
{
    /// <summary>The engine record with this id; another kind of record is not found.</summary>
    public CodexRecord Get(string id)
    {
        var record = codex.Get(id);
        return codex.IsA(record, EngineRecordFields.TemplateId) ? record
            : throw PlueErrors.NotFound($"'{record.Title}' is not a Docker engine: `plue engines list` lists them.");
    }

    /// <summary>What the engine a task names none of is called: this machine's, as DOCKER_HOST or the system socket says.</summary>
    public const string ThisMachine = "this machine's Docker engine";

    /// <summary>Every engine record, oldest first.</summary>
    public IReadOnlyList<CodexRecord> Records() =>
        [.. CodexPaging.Read(codex.List, new CodexQuery { TemplateIds = [EngineRecordFields.TemplateId], Limit = CodexPaging.MaxLimit, Sort = CodexSort.CreatedAsc }, all: true)];

    /// <summary>The engine record with this id, or this title (any case); null when there is none.</summary>
    public CodexRecord? Find(string idOrName) =>
        Records().FirstOrDefault(r => r.Id == idOrName) ?? Records().FirstOrDefault(r => string.Equals(r.Title, idOrName, StringComparison.OrdinalIgnoreCase));

    /// <summary>Connects to this machine's engine (DOCKER_HOST, else the system socket) when no record names one.</summary>
    public Task<EngineClient> ConnectThisMachineAsync(CancellationToken cancellationToken) =>
        EngineClient.ConnectAsync(EngineAddress.Local(environment), null, ThisMachine, cancellationToken);

    /// <summary>Whether the record's engine (null: this machine's own) is on another machine: its tasks get a copy of their worktree, not a mount.</summary>
    public bool OnAnotherMachine(CodexRecord? record)
    {
        try
        {
            return !(record is null ? EngineAddress.Local(environment) : EngineRecordFields.Of(record.Fields).Address(environment)).OnThisMachine;
        }
        catch (EngineException)
        {
            return false; // an address Docker would not take: refused when the task's engine is reached
        }
    }

    /// <summary>Connects to the record's engine at the API version both serve.</summary>
    public Task<EngineClient> ConnectAsync(CodexRecord record, CancellationToken cancellationToken)
    {
        var fields = EngineRecordFields.Of(record.Fields);
        var address = fields.Address(environment);
        var tls = address.Reach == EngineReach.Tcp && fields.NamesTls ? Tls(fields, record.Title) : null;
        return EngineClient.ConnectAsync(address, tls, record.Title, cancellationToken);
    }

    /// <summary>
    /// Asks the engine its version, OS and architecture, and whether it can bind-mount the workspace's folder; an
    /// engine that cannot be reached is a failed result saying why, not an error.
    /// </summary>
    public async Task<EngineTestResult> TestAsync(string id, CancellationToken cancellationToken)
    {
        var record = Get(id);
        var started = Stopwatch.GetTimestamp();
        var address = "";
        try
        {
            var fields = EngineRecordFields.Of(record.Fields);
            address = fields.Address(environment).ToString();
            using var client = await ConnectAsync(record, cancellationToken).ConfigureAwait(false);
            var swarm = fields.IsSwarm ? await SwarmAsync(client, fields, record.Title, cancellationToken).ConfigureAwait(false) : null;
            var canMount = await client.CanMountAsync(WorkspaceFolder(), cancellationToken).ConfigureAwait(false);
            return new EngineTestResult
            {
                Ok = true,
                Engine = record.Title,
                Address = address,
                Version = client.Version.Version,
                ApiVersion = client.Version.ApiVersion,
                Os = client.Version.Os,
                Arch = client.Version.Arch,
                CanMountWorkspace = canMount,
                Swarm = swarm,
                LatencyMs = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds,
                TestedAt = DateTimeOffset.UtcNow,
            };
        }
        catch (EngineException e)
        {
            return new EngineTestResult
            {
                Ok = false,
                Engine = record.Title,
                Address = address,
                Error = e.Message,
                Fix = FixName(e.Fix),
                LatencyMs = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds,
                TestedAt = DateTimeOffset.UtcNow,
            };
        }
    }

    /// <summary>A swarm engine's manager's word on its nodes; an engine that is no manager is a failure saying how to make it one.</summary>
    private static async Task<EngineSwarm> SwarmAsync(EngineClient client, EngineRecordFields fields, string engineName, CancellationToken cancellationToken)
    {
        var swarm = await client.SwarmOverviewAsync(cancellationToken).ConfigureAwait(false);
        if (!swarm.Manager) throw NoManager(swarm, engineName);
        return new EngineSwarm
        {
            Manager = true,
            ReadyNodes = swarm.Ready,
            Nodes = swarm.Nodes.Count,
            Architectures = swarm.Architectures,
            Registry = fields.Registry ?? "",
        };
    }

    /// <summary>A swarm record's engine that is no swarm's manager, with the fix.</summary>
    public static EngineException NoManager(SwarmOverview swarm, string engineName) => new(swarm.InSwarm
        ? $"{engineName} is in a swarm but is not its manager: give a manager's address (`docker node ls` on a manager lists them)."
        : $"{engineName} is not a swarm's manager: run `docker swarm init` there, or give a manager's address.", EngineFix.Swarm);

    /// <summary>The folder a task's worktree would be mounted from: the workspace's first, else where the sidecar runs.</summary>
    private string WorkspaceFolder() => workspace.Folders.FirstOrDefault() ?? Environment.CurrentDirectory;

    private EngineTls Tls(EngineRecordFields fields, string engineName) => new(
        Pem(fields.TlsCa, "CA certificate", engineName),
        Pem(fields.TlsCert, "client certificate", engineName),
        Pem(fields.TlsKey, "client key", engineName));

    /// <summary>A TLS file's PEM text: from the vault for a vault:// reference, else from the file.</summary>
    private string Pem(string? source, string what, string engineName)
    {
        if (source is null)
            throw new EngineException($"The TLS {what} of {engineName} is not given: give all three TLS files, or none.", EngineFix.Certificates);
        if (source.StartsWith(VaultReference.Scheme, StringComparison.Ordinal))
        {
            return vault.Resolve(source)
                ?? throw new EngineException($"The vault holds no TLS {what} for {engineName}: store its PEM text there, or give the file instead.", EngineFix.Certificates);
        }
        try
        {
            return File.ReadAllText(source);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new EngineException($"The TLS {what} file of {engineName} cannot be read ({(e is UnauthorizedAccessException ? "permission denied" : "it does not exist")}): check the engine's TLS files.", EngineFix.Certificates, e);
        }
    }

    /// <summary>The fix as the wire says it (<see cref="EngineTestResult.Fix"/>).</summary>
    public static string FixName(EngineFix fix) => fix switch
    {
        EngineFix.StartEngine => "startEngine",
        EngineFix.Address => "address",
        EngineFix.Permission => "permission",
        EngineFix.Certificates => "certificates",
        EngineFix.Image => "image",
        EngineFix.Ssh => "ssh",
        EngineFix.Swarm => "swarm",
        _ => "update",
    };
}
