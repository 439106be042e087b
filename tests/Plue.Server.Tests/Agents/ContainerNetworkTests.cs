using Plue.Agents.Containers;
using Plue.Sandbox;
using Plue.Tests.Support;

namespace Plue.Tests.Agents;

/// <summary>Tasks in containers (docs/CONTAINERS.md, "The network"): a container's network from its sandbox policy.</summary>
public sealed class ContainerNetworkTests
{
    private static readonly SandboxPolicy s_allowList = SandboxPolicy.WorkspaceWrite with { Network = SandboxNetwork.AllowList, AllowedHosts = ["example.test"] };

    [Fact]
    public void NoneIsDockersNone_OpenIsTheEnginesOwn_NeitherBindsAnything()
    {
        using var none = ContainerNetwork.For(SandboxPolicy.WorkspaceWrite, onThisMachine: true, "1000:1000");
        Assert.Equal(("none", "none"), (none.Mode, none.DockerMode));
        Assert.Empty(none.Binds);
        Assert.Null(none.Start(SandboxPolicy.WorkspaceWrite));
        using var open = ContainerNetwork.For(SandboxPolicy.Off, onThisMachine: true, "1000:1000");
        Assert.Equal(("engine", "default"), (open.Mode, open.DockerMode));
        Assert.Empty(open.Binds);
    }

    [Fact]
    public void AnAllowList_OnAnotherMachinesEngine_OrWithoutAStaticBridge_HasNoNetwork_AndSaysWhy()
    {
        using var remote = ContainerNetwork.For(s_allowList, onThisMachine: false, "1000:1000");
        Assert.Equal(("none", "none"), (remote.Mode, remote.DockerMode));
        Assert.Contains("another machine", remote.Why);
        Assert.Empty(remote.Binds);
        // A program with an interpreter (the dynamic loader) needs the image's C library: not one to bind in.
        using var dynamic = ContainerNetwork.For(s_allowList, onThisMachine: true, "1000:1000", bridge: "/bin/sh");
        Assert.Equal("none", dynamic.Mode);
        Assert.Contains("static plue-sandbox-bridge", dynamic.Why);
    }

    [OsFact("Linux")]
    public void AnAllowList_BindsItsFolderAndTheStaticBridge_AndEachCallGetsAProxyOfItsOwnThere()
    {
        if (!File.Exists("/usr/bin/cc")) return; // no C bridge is built without a compiler
        var bridge = SandboxBridge.FindNativeBridge()?.Line[0];
        Assert.True(bridge is not null && ContainerNetwork.IsStatic(bridge), "the build makes a static C bridge beside the sidecar");
        string folder;
        using (var network = ContainerNetwork.For(s_allowList, onThisMachine: true, "1000:1000"))
        {
            Assert.Equal(("allow-list", "none"), (network.Mode, network.DockerMode));
            Assert.Null(network.Why);
            folder = network.Binds[0].Source;
            Assert.Equal(new[] { (folder, ContainerNetwork.FolderInContainer, true), (bridge!, ContainerNetwork.BridgeInContainer, true) }, network.Binds);
            using var call = network.Start(s_allowList)!;
            var line = call.Wrap(["/bin/sh", "-c", "true"]);
            Assert.Equal(new[] { ContainerNetwork.BridgeInContainer, SandboxBridge.Flag }, line.Take(2));
            Assert.StartsWith(ContainerNetwork.FolderInContainer + "/", line[2]);
            var socket = Path.Combine(folder, Path.GetFileName(line[2]));
            Assert.True(File.Exists(socket));
            Assert.Equal(new[] { "--", "/bin/sh", "-c", "true" }, line.Skip(3));
            call.Dispose();
            Assert.False(File.Exists(socket), "a call's proxy goes with it");
        }
        Assert.False(Directory.Exists(folder), "the folder goes with the container");
    }
}
