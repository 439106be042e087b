using Plue.Processes;

namespace Plue.Tests.Processes;

/// <summary>A child's environment is a named set, never the sidecar's filtered by pattern.</summary>
public sealed class ChildEnvironmentTests
{
    /// <summary>What a developer's or a CI machine's environment holds beside the basics: every one of them stays in the sidecar.</summary>
    private static readonly Dictionary<string, string?> s_secrets = new()
    {
        ["AWS_ACCESS_KEY_ID"] = "AKIAFAKE0123456789",
        ["AWS_SECRET_ACCESS_KEY"] = "aws-secret-value",
        ["AWS_SESSION_TOKEN"] = "aws-session-value",
        ["AWS_BEARER_TOKEN_BEDROCK"] = "bedrock-bearer-value",
        ["AWS_PROFILE"] = "prod",
        ["GOOGLE_APPLICATION_CREDENTIALS"] = "/home/me/sa.json",
        ["GOOGLE_CLOUD_PROJECT"] = "my-project",
        ["CLOUDSDK_CONFIG"] = "/home/me/.config/gcloud",
        ["AZURE_OPENAI_API_KEY"] = "azure-value",
        ["AZURE_CLIENT_SECRET"] = "azure-client-secret",
        ["ARM_CLIENT_SECRET"] = "arm-client-secret",
        ["GITHUB_TOKEN"] = "ghp-value",
        ["CI_JOB_TOKEN"] = "ci-job-value",
        ["DEPLOY_SECRET"] = "deploy-secret-value",
        ["STRIPE_KEY"] = "stripe-key-value",
        ["SENTRY_DSN"] = "https://public:dsn-secret@sentry.example/1",
        ["DATABASE_URL"] = "postgres://app:db-password@127.0.0.1/app",
        ["PLUE_VAULT_KEY"] = "vault-key-value",
        ["PLUE_HOME"] = "/home/me/.plue",
        ["ANTHROPIC_API_KEY"] = "anthropic-value",
        ["OPENAI_API_KEY"] = "openai-value",
        ["HTTPS_PROXY"] = "http://proxyuser:proxy-password@proxy.example:3128",
    };

    private static readonly Dictionary<string, string?> s_basics = new()
    {
        ["PATH"] = "/usr/local/bin:/usr/bin:/bin",
        ["HOME"] = "/home/me",
        ["LANG"] = "en_US.UTF-8",
        ["LC_ALL"] = "en_US.UTF-8",
        ["TERM"] = "xterm-256color",
        ["TMPDIR"] = "/tmp",
        ["USER"] = "me",
        ["SHELL"] = "/bin/bash",
        ["HTTP_PROXY"] = "http://proxy.example:3128",
    };

    [Fact]
    public void Apply_SidecarFullOfSecrets_PassesOnlyTheBasics()
    {
        var target = new Dictionary<string, string?> { ["LEFT_OVER"] = "from the ProcessStartInfo" };

        ChildEnvironment.Apply(target, s_secrets.Concat(s_basics).ToDictionary());

        Assert.Equal(s_basics.OrderBy(v => v.Key), target.OrderBy(v => v.Key));
    }

    /// <summary>
    /// The sidecar sets its socket switch for itself (<see cref="Plue.Sidecar.SocketCompletions"/>): a child that is a
    /// .NET program (an MCP server, a tool) must not run its socket reads on its socket thread because the sidecar does.
    /// </summary>
    [Fact]
    public void Apply_TheSidecarsOwnSocketSwitch_IsNotPassedOn()
    {
        var target = new Dictionary<string, string?>();

        ChildEnvironment.Apply(target, s_basics.Append(new(Plue.Sidecar.SocketCompletions.Variable, "1")).ToDictionary());

        Assert.DoesNotContain(Plue.Sidecar.SocketCompletions.Variable, target.Keys);
        Assert.Equal(s_basics.Count, target.Count);
    }

    [Fact]
    public void Apply_UserNamedVariables_ArePassedButNeverPlueOwnOrAUrlPassword()
    {
        var source = new Dictionary<string, string?>(s_secrets)
        {
            ["JAVA_HOME"] = "/opt/jdk",
            ["PLUE_CHILD_ENV"] = "JAVA_HOME, PLUE_VAULT_KEY,DATABASE_URL",
        };
        var target = new Dictionary<string, string?>();

        ChildEnvironment.Apply(target, source);

        // JAVA_HOME is named; the vault key and a URL with a password are not passed even when named.
        Assert.Equal(["JAVA_HOME"], target.Keys);
    }

    [Fact]
    public void Apply_AChildsOwnVariables_AreAddedByTheCaller()
    {
        var target = new Dictionary<string, string?>();

        ChildEnvironment.Apply(target, s_secrets, name => name == "ANTHROPIC_API_KEY");

        Assert.Equal(["ANTHROPIC_API_KEY"], target.Keys);
    }

    [Fact]
    public void SecretValues_NamesHoldingACredentialWord_AreSecretOthersAndTheBasicsAreNot()
    {
        var environment = new Dictionary<string, string?>
        {
            ["GITHUB_TOKEN"] = "t1", ["DB_PASSWORD"] = "t2", ["AWS_SECRET_ACCESS_KEY"] = "t3", ["npm-auth"] = "t4", ["MY.API.KEY"] = "t5",
            ["JAVA_HOME"] = "/usr/lib/jvm", ["KEYBOARD_LAYOUT"] = "us", ["TOKENIZER"] = "bpe", ["PATH"] = "/bin", ["EMPTY_TOKEN"] = "",
        };

        Assert.Equal(["t1", "t2", "t3", "t4", "t5"], ChildEnvironment.SecretValues(environment));
    }
}
