using System.Text.Json.Nodes;
using Plue.Agents;
using Plue.Engines;

namespace Plue.Tests.Engines;

/// <summary>
/// Issue 72's record fields: a swarm engine record needs its registry as host[:port] (items 1 and 2), and a task's
/// placement on a swarm (item 7) holds together and is only narrowed by a sub-task.
/// </summary>
public sealed class SwarmFieldsTests
{
    private static List<string> Refusals(JsonObject fields) =>
        [.. new EngineKind().Check(null, fields).Select(e => $"{e.Field}: {e.Message}")];

    [Fact]
    public void Item1_SwarmWithoutRegistry_IsRefusedSayingWhatToGive()
    {
        var refusals = Refusals(new JsonObject { ["connection"] = "host", ["host"] = "tcp://manager.lan:2375", ["swarm"] = true });

        Assert.Equal(["registry: A swarm needs the registry its nodes pull from (host[:port], for example registry.lan:5000): Plue pushes its runner image there."], refusals);
    }

    [Theory]
    [InlineData("registry.lan:5000")]
    [InlineData("registry.lan")]
    [InlineData("192.168.241.1:5000")]
    [InlineData("[fd00::1]:5000")]
    [InlineData("localhost")]
    public void Item1_SwarmWithHostAndPortRegistry_IsTaken(string registry)
    {
        Assert.Empty(Refusals(new JsonObject { ["connection"] = "host", ["host"] = "tcp://manager.lan:2375", ["swarm"] = true, ["registry"] = registry }));
    }

    [Theory]
    [InlineData("http://registry.lan:5000")]
    [InlineData("registry.lan:5000/plue")]
    [InlineData("registry.lan:0")]
    [InlineData("registry.lan:70000")]
    [InlineData("registry.lan:")]
    [InlineData("-registry.lan")]
    [InlineData("[fd00::1")]
    [InlineData("registry lan")]
    public void Item1_RegistryThatIsNotHostAndPort_IsRefusedInTheUsersWords(string registry)
    {
        var refusals = Refusals(new JsonObject { ["connection"] = "local", ["swarm"] = true, ["registry"] = registry });

        Assert.Equal([$"registry: '{registry}' is not a registry's address: give it as host[:port], for example registry.lan:5000 (no http:// and no path)."], refusals);
    }

    [Fact]
    public void Item1_EngineThatIsNoSwarm_NeedsNoRegistry()
    {
        Assert.Empty(Refusals(new JsonObject { ["connection"] = "local", ["swarm"] = false }));
        var fields = EngineRecordFields.Of(new JsonObject { ["connection"] = "local", ["swarm"] = true, ["registry"] = "registry.lan:5000" });
        Assert.True(fields.IsSwarm);
        Assert.Equal("registry.lan:5000", fields.Registry);
    }

    [Fact]
    public void Item7_Placement_ConstraintsAsDockerWritesThemAndReservationsWithinLimits_AreTaken()
    {
        var fields = TaskRecordFields.Of(new JsonObject
        {
            ["cpus"] = 2, ["memory_mb"] = 2048, ["cpus_reserved"] = 0.5, ["memory_reserved_mb"] = 512, ["max_jobs"] = 4,
            ["constraints"] = new JsonArray("node.platform.arch==x86_64", "node.labels.gpu == true", "node.role!=manager", "engine.labels.zone==b"),
        });

        Assert.Empty(TaskPlacement.Check(fields));
        Assert.Equal(4, fields.MaxJobs);
        Assert.Equal(0.5, fields.CpusReserved);
    }

    [Fact]
    public void Item7_Placement_AConstraintDockerWouldNotTakeOrAReservationPastItsLimit_IsRefused()
    {
        var fields = TaskRecordFields.Of(new JsonObject
        {
            ["cpus"] = 1, ["memory_mb"] = 256, ["cpus_reserved"] = 2, ["memory_reserved_mb"] = 512,
            ["constraints"] = new JsonArray("gpu=true", "node.platform.arch==x86_64"),
        });

        Assert.Equal([
            "constraints: 'gpu=true' is not a node constraint: write it as Docker does, for example node.platform.arch==x86_64 or node.labels.gpu==true.",
            "cpus_reserved: It reserves 2 CPUs but may use only 1: reserve no more than its CPUs, or raise them.",
            "memory_reserved_mb: It reserves 512 MiB but may use only 256 MiB: reserve no more than its memory, or raise it.",
        ], TaskPlacement.Check(fields).Select(e => $"{e.Field}: {e.Message}"));
    }

    [Fact]
    public void Item7_SubTaskPlacement_KeepsItsParentsConstraintsAndNeverMoreJobsOrReservationThanItsLimits()
    {
        var parent = TaskRecordFields.Of(new JsonObject
        {
            ["cpus_reserved"] = 1, ["memory_reserved_mb"] = 1024, ["max_jobs"] = 4,
            ["constraints"] = new JsonArray("node.platform.arch==x86_64"),
        });
        var own = new JsonObject { ["max_jobs"] = 10, ["constraints"] = new JsonArray("node.labels.gpu==true", "node.platform.arch==x86_64") };
        var fields = new JsonObject { ["cpus"] = 0.5, ["memory_mb"] = 2048, ["max_jobs"] = 10, ["constraints"] = own["constraints"]!.DeepClone() };

        TaskPlacement.Narrow(parent, TaskRecordFields.Of(own), fields);

        var narrowed = TaskRecordFields.Of(fields);
        Assert.Equal(["node.platform.arch==x86_64", "node.labels.gpu==true"], narrowed.Constraints);
        Assert.Equal(4, narrowed.MaxJobs);
        Assert.Equal(0.5, narrowed.CpusReserved);  // the parent's 1 CPU, no more than its own 0.5
        Assert.Equal(1024, narrowed.MemoryReservedMb);
    }
}
