using Plue.Agents.Containers;
using Plue.Tests.Support;

namespace Plue.Tests.Agents;

/// <summary>Tasks in containers (docs/CONTAINERS.md): which image a task's container is made from.</summary>
public sealed class ContainerImageTests
{
    [Fact]
    public void TheTasksOwnImage_ElseTheDevcontainers_ElseTheDefault()
    {
        using var dir = new TempDir();
        Assert.Equal(ContainerImage.Default, ContainerImage.For(null, dir.Path));

        Directory.CreateDirectory(Path.Combine(dir.Path, ".devcontainer"));
        File.WriteAllText(Path.Combine(dir.Path, ".devcontainer", "devcontainer.json"), """
            // The workspace's dev container: comments and trailing commas, as VS Code writes them.
            {
              "name": "dev",
              /* the image */ "image": "mcr.example/devcontainers/base:bookworm",
            }
            """);
        Assert.Equal("mcr.example/devcontainers/base:bookworm", ContainerImage.For("", dir.Path));
        Assert.Equal("alpine:3", ContainerImage.For("alpine:3", dir.Path));
    }

    [Fact]
    public void ADevcontainerThatBuildsFromADockerfile_OrCannotBeRead_FallsToTheDefault()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(Path.Combine(dir.Path, ".devcontainer"));
        var file = Path.Combine(dir.Path, ".devcontainer", "devcontainer.json");
        File.WriteAllText(file, """{ "build": { "dockerfile": "Dockerfile" } }""");
        Assert.Equal(ContainerImage.Default, ContainerImage.For(null, dir.Path));
        File.WriteAllText(file, "{ image: ");
        Assert.Equal(ContainerImage.Default, ContainerImage.For(null, dir.Path));
    }
}
