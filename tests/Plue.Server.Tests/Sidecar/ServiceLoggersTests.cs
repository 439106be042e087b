using System.Reflection;
using System.Runtime.ExceptionServices;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Plue.Sessions;
using Plue.Sidecar;
using Plue.Tests.Support;

namespace Plue.Tests.Sidecar;

/// <summary>
/// What a cold start's container does not do at run time: close the open <c>ILogger&lt;&gt;</c> for each class (under
/// Native AOT that builds each generic type from metadata), and the store watcher's stop throwing a cancelled tick
/// (its stack trace, the first formatted, reads every method's name).
/// </summary>
public sealed class ServiceLoggersTests
{
    [Fact]
    public void EveryTypedLoggerAServiceTakes_IsRegisteredClosed()
    {
        IServiceCollection? registered = null;
        using var host = SidecarHost.Build(Stream.Null, Stream.Null, services => registered = services);
        // The services the container makes: the core's, made before it and registered as instances, take theirs by hand.
        var taken = typeof(SidecarHost).Assembly.GetTypes()
            .Where(t => !t.IsGenericTypeDefinition && !registered!.Any(d => d.ServiceType == t && d.ImplementationInstance is not null))
            .SelectMany(t => t.GetConstructors(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance))
            .SelectMany(c => c.GetParameters())
            .Select(p => p.ParameterType)
            .Where(t => t.IsGenericType && t.GetGenericTypeDefinition() == typeof(ILogger<>) && !t.ContainsGenericParameters)
            .Distinct()
            .ToList();

        // Far more than a handful: a scan that found none would pass for nothing.
        Assert.True(taken.Count >= 25, $"only {taken.Count} typed loggers found");
        var missing = taken.Where(t => !registered!.Any(d => d.ServiceType == t && d.ImplementationFactory is not null)).Select(t => t.GenericTypeArguments[0].Name).ToList();
        Assert.True(missing.Count == 0, "add these to ServiceLoggers: " + string.Join(", ", missing));
    }

    [Fact]
    public void ARegisteredLogger_IsTheCoresNamedOne_AndAnUnlistedOneStillResolves()
    {
        using var host = SidecarHost.Build(Stream.Null, Stream.Null);

        var listed = host.Services.GetRequiredService<ILogger<ChatWarmup>>();
        var unlisted = host.Services.GetRequiredService<ILogger<ServiceLoggersTests>>();

        Assert.IsNotType<Logger<ChatWarmup>>(listed);
        Assert.IsType<Logger<ServiceLoggersTests>>(unlisted);
    }

    [Fact]
    public async Task StoppingTheStoreWatcher_ThrowsNothing()
    {
        using var home = new TempDir();
        var (sidecar, _) = await RpcSession.StartAsync(home.Path);
        // The watcher opens its connection once initialized, then waits for its ticks.
        await Task.Delay(300);
        var thrown = new List<string>();
        void Record(object? sender, FirstChanceExceptionEventArgs e)
        {
            var trace = e.Exception.StackTrace ?? "";
            if (trace.Contains(nameof(StoreWatcher), StringComparison.Ordinal)) lock (thrown) thrown.Add(e.Exception.GetType().Name);
        }
        AppDomain.CurrentDomain.FirstChanceException += Record;
        try
        {
            await sidecar.DisposeAsync();
        }
        finally
        {
            AppDomain.CurrentDomain.FirstChanceException -= Record;
        }

        Assert.Empty(thrown);
    }
}

/// <summary>The MCP SDK logs whole messages (tool results may carry secrets) at Debug and Trace: its loggers log Information and above, whatever the sidecar's level.</summary>
public sealed class StderrLoggerFactoryTests
{
    [Fact]
    public void TheMcpSdksLoggers_StayAtInformation_OthersFollowTheLevel()
    {
        using var loggers = new StderrLoggerFactory(LogLevel.Trace);

        var sdk = loggers.CreateLogger("ModelContextProtocol.Client.McpClient");
        var ours = loggers.CreateLogger("Plue.Agents.Mcp.McpServers");

        Assert.False(sdk.IsEnabled(LogLevel.Debug));
        Assert.False(sdk.IsEnabled(LogLevel.Trace));
        Assert.True(sdk.IsEnabled(LogLevel.Information));
        Assert.True(ours.IsEnabled(LogLevel.Trace));
    }

    [Fact]
    public void AHigherLevel_StillHoldsForTheMcpSdk()
    {
        using var loggers = new StderrLoggerFactory(LogLevel.Error);

        Assert.False(loggers.CreateLogger("ModelContextProtocol.Client.McpClient").IsEnabled(LogLevel.Warning));
    }
}
