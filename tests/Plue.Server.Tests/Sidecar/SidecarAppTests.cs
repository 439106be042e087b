using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Plue.Sidecar;

namespace Plue.Tests.Sidecar;

/// <summary>
/// The sidecar's composition root, in place of the Generic Host: hosted parts start in the order they were added and
/// stop in reverse, a failing background part stops the whole sidecar, the lifetime tells each step once, and a
/// command's own lifetime replaces the signal handling.
/// </summary>
public sealed class SidecarAppTests
{
    [Fact]
    public async Task Parts_StartInOrder_StopInReverse_AndTheLifetimeTellsEachStepOnce()
    {
        var steps = new List<string>();
        var services = Services();
        services.AddSingleton<IHostedService>(new Part("a", steps));
        services.AddSingleton<IHostedService>(new Part("b", steps));
        using var app = SidecarApp.Build(services);
        var lifetime = app.Services.GetRequiredService<IHostApplicationLifetime>();
        var told = new List<string>();
        lifetime.ApplicationStarted.Register(() => told.Add("started"));
        lifetime.ApplicationStopping.Register(() => told.Add("stopping"));
        lifetime.ApplicationStopped.Register(() => told.Add("stopped"));

        await app.StartAsync();
        lifetime.StopApplication();
        await app.StopAsync();
        await app.StopAsync();

        Assert.Equal(["start a", "start b", "stop b", "stop a"], steps);
        Assert.Equal(["started", "stopping", "stopped"], told);
    }

    [Fact]
    public async Task ABackgroundPartThatFails_StopsTheSidecar_AndWaitForShutdownReturns()
    {
        var services = Services();
        services.AddSingleton<IHostedService>(new Failing());
        using var app = SidecarApp.Build(services);

        await app.StartAsync();
        await app.WaitForShutdownAsync().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(app.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopped.IsCancellationRequested);
    }

    [Fact]
    public async Task ACommandsOwnLifetime_ReplacesTheSignalHandling()
    {
        var services = Services();
        var own = new OwnLifetime();
        services.AddSingleton<IHostLifetime>(own);
        using var app = SidecarApp.Build(services);

        await app.StartAsync();
        await app.StopAsync();

        Assert.Same(own, app.Services.GetRequiredService<IHostLifetime>());
        Assert.Equal(["wait for start", "stop"], own.Calls);
    }

    private static ServiceCollection Services()
    {
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(new StderrLoggerFactory(LogLevel.None));
        return services;
    }

    private sealed class Part(string name, List<string> steps) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            steps.Add("start " + name);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken)
        {
            steps.Add("stop " + name);
            return Task.CompletedTask;
        }
    }

    private sealed class Failing : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            await Task.Delay(50, stoppingToken);
            throw new InvalidOperationException("a part broke");
        }
    }

    private sealed class OwnLifetime : IHostLifetime
    {
        public List<string> Calls { get; } = [];

        public Task WaitForStartAsync(CancellationToken cancellationToken)
        {
            Calls.Add("wait for start");
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken)
        {
            Calls.Add("stop");
            return Task.CompletedTask;
        }
    }
}
