using Plue.Sandbox;

namespace Plue.Tests.Sandbox;

/// <summary>
/// macOS's Seatbelt profile, made from the same policy as bubblewrap's arguments: its text for each shipped policy and an
/// allow-list (golden). Nothing here runs macOS: what the profile lets a process do is checked by the release's macOS
/// job, which runs the sandbox suite there.
/// </summary>
public sealed class SeatbeltTests
{
    private static readonly SandboxPlaces s_places = new()
    {
        Home = "/Users/ada",
        Roots = ["/Users/ada/src/app"],
        Hidden = ["/Users/ada/.plue"],
        // Whatever CLAUDE_CONFIG_DIR this machine sets: the golden profiles have none.
        MovedAgentFolders = [],
    };

    private const string Head = """
        (version 1)
        (deny default)
        (allow process-exec process-fork signal sysctl-read mach-lookup ipc-posix-shm pseudo-tty)
        (allow file-read*)

        """;

    private const string HomeHidden = """
        (deny file-read* (subpath "/Users/ada"))
        (allow file-read* (subpath "/Users/ada/src/app"))
        (deny file-read* file-write* (subpath "/Users/ada/.plue"))

        """;

    /// <summary>What another program runs later, under each writable folder: read-only whether it exists yet or not.</summary>
    private static string Planted(params string[] folders) =>
        "(deny file-write* " + string.Join(' ', folders.SelectMany(f => new[] { ".vscode", ".claude", ".codex", ".cursor", ".mcp.json", ".envrc", ".github/hooks" }
            .Select(n => $"(subpath \"{f}/{n}\")"))) + ")\n";

    [Fact]
    public void WorkspaceWrite_HidesTheHome_WritesTheWorkspace_ReachesNothing() =>
        Assert.Equal(Head + HomeHidden + """
            (allow file-write*
              (literal "/dev/null")
              (literal "/dev/tty")
              (subpath "/private/tmp")
              (subpath "/private/var/folders")
              (subpath "/Users/ada/src/app")
            )

            """ + Planted("/Users/ada/src/app"), Seatbelt.Profile(SandboxPolicy.WorkspaceWrite, s_places, proxyPort: null));

    [Fact]
    public void ReadOnly_WritesNothingButTheSystemsScratch() =>
        Assert.Equal(Head + HomeHidden + """
            (allow file-write*
              (literal "/dev/null")
              (literal "/dev/tty")
              (subpath "/private/tmp")
              (subpath "/private/var/folders")
            )

            """, Seatbelt.Profile(SandboxPolicy.ReadOnly, s_places, proxyPort: null));

    [Fact]
    public void AllowList_ReachesOnlyTheProxy_AndAHomeShownIsReadable_AndAGrantedPathWritable()
    {
        var policy = SandboxPolicy.WorkspaceWrite with
        {
            HideHome = false, Network = SandboxNetwork.AllowList, AllowedHosts = ["registry.npmjs.org"], WritablePaths = ["/Users/ada/.cache/npm \"x\""],
        };

        var stores = string.Concat(SandboxPlaces.CredentialStores.Select(c => $"(deny file-read* file-write* (subpath \"/Users/ada/{c}\"))\n"));
        Assert.Equal(Head + """
            (deny file-read* file-write* (subpath "/Users/ada/.plue"))

            """ + stores + """
            (allow file-write*
              (literal "/dev/null")
              (literal "/dev/tty")
              (subpath "/private/tmp")
              (subpath "/private/var/folders")
              (subpath "/Users/ada/src/app")
              (subpath "/Users/ada/.cache/npm \"x\"")
            )

            """ + Planted("/Users/ada/src/app", "/Users/ada/.cache/npm \\\"x\\\"") + """
            (allow network-outbound (remote ip "localhost:8123"))

            """, Seatbelt.Profile(policy, s_places, proxyPort: 8123));
    }

    /// <summary>Nothing under the Plue home is opened again by a path a policy or a child names (item 1).</summary>
    [Fact]
    public void APathInThePlueHome_IsNeverMadeWritable()
    {
        var policy = SandboxPolicy.WorkspaceWrite with { WritablePaths = ["/Users/ada/.plue/vault.key"] };
        var profile = Seatbelt.Profile(policy, s_places with { Writable = ["/Users/ada/.plue"] }, proxyPort: null)!;
        Assert.DoesNotContain("(subpath \"/Users/ada/.plue/vault.key\")\n", profile);
        Assert.DoesNotContain("  (subpath \"/Users/ada/.plue\")", profile);
    }

    [Fact]
    public void Off_HasNoProfile() => Assert.Null(Seatbelt.Profile(SandboxPolicy.Off, s_places, proxyPort: null));

    [Fact]
    public void Ubuntu_AppArmorFix_IsAProfileForBwrapAlone_AndTheCommandThatLoadsIt()
    {
        var fix = Bubblewrap.AppArmorFix("/usr/bin/bwrap");

        Assert.Contains("profile bwrap /usr/bin/bwrap flags=(unconfined) {\n  userns,\n", fix);
        Assert.StartsWith("sudo tee /etc/apparmor.d/bwrap > /dev/null <<'EOF'\nabi <abi/4.0>,\n", fix);
        Assert.EndsWith("EOF\nsudo apparmor_parser -r /etc/apparmor.d/bwrap", fix);
        Assert.DoesNotContain("apparmor_restrict_unprivileged_userns=0", fix);
    }
}
