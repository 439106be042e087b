using System.Text.Json.Nodes;
using Plue.Sandbox;

namespace Plue.Tests.Sandbox;

/// <summary>
/// A sandbox policy that says where commands run (<c>runs: container</c>, docs/SANDBOX.md "In a container"): read from
/// its fields, kept by a sub-task's narrowing (a container is narrower than this machine), said as it is.
/// </summary>
public sealed class SandboxContainerPolicyTests
{
    private static SandboxPolicy Policy(string runs, string? engine = null, string? image = null) =>
        SandboxPolicies.Read("codex://sandbox-policies/boxed", "Boxed", new JsonObject { ["filesystem"] = "workspace-write", ["runs"] = runs, ["engine"] = engine, ["image"] = image });

    [Fact]
    public void RunsContainer_IsReadWithItsEngineAndImage_AndLocalIsNone()
    {
        Assert.Equal(new SandboxContainer("Build box", "alpine:3"), Policy("container", "Build box", "alpine:3").Container);
        Assert.Equal(new SandboxContainer(null, null), Policy("container", "  ", "").Container);
        Assert.Null(Policy("local").Container);
        Assert.Null(SandboxPolicy.WorkspaceWrite.Container);
    }

    [Fact]
    public void ASubTask_OfAContainerPolicy_StaysInAContainer_OnItsParentsEngine()
    {
        var parent = Policy("container", "Build box", "alpine:3");
        Assert.Equal(new SandboxContainer("Build box", "alpine:3"), SandboxPolicy.Narrow(parent, SandboxPolicy.Off).Container);
        Assert.Equal(new SandboxContainer("Build box", "busybox"), SandboxPolicy.Narrow(parent, Policy("container", "Elsewhere", "busybox")).Container);
        Assert.Equal(new SandboxContainer("Build box", null), SandboxPolicy.Narrow(SandboxPolicy.WorkspaceWrite, Policy("container", "Build box")).Container);
        Assert.Null(SandboxPolicy.Narrow(SandboxPolicy.WorkspaceWrite, SandboxPolicy.ReadOnly).Container);
    }

    [Fact]
    public void AContainerPolicy_SaysWhereItRuns_WhetherOrNotThisMachineHasASandbox()
    {
        var policy = Policy("container", "Build box");
        Assert.Equal("Boxed (in a container on Build box, workspace writable, no network)", policy.Describe());
        Assert.Equal(policy.Describe(), policy.DescribeHere());
        Assert.NotEqual(policy, Policy("local"));
        Assert.NotEqual(policy.Key, Policy("local").Key);
    }
}
