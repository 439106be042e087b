using System.Runtime.InteropServices;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Plue.Sidecar;

/// <summary>
/// The sidecar's composition root: its services, its hosted parts started in the order they were added and stopped in
/// reverse, and the lifetime the client's exit or a signal ends. Not the Generic Host: its builder, options and console
/// lifetime are closed over generic types on the first start, which under Native AOT builds those types from metadata
/// while the client waits for its first answer, and it brings configuration, console logging and event logs the
/// sidecar never uses into the binary.
/// </summary>
internal sealed partial class SidecarApp : IHost
{
    /// <summary>How long stopping waits for the hosted parts (the Generic Host's default is 30 s; a window closing should not hang).</summary>
    private static readonly TimeSpan StopBudget = TimeSpan.FromSeconds(10);

    private readonly ServiceProvider _services;
    private readonly Lifetime _lifetime;
    private readonly ILogger _logger;
    private readonly List<IHostedService> _started = [];

    private SidecarApp(ServiceProvider services, Lifetime lifetime)
    {
        _services = services;
        _lifetime = lifetime;
        _logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("Plue.Sidecar.SidecarApp");
    }

    public IServiceProvider Services => _services;

    /// <summary>The provider of <paramref name="services"/>, with the lifetime and the signal handling a host gives; the caller's registrations win (a command's own lifetime).</summary>
    public static SidecarApp Build(IServiceCollection services)
    {
        var lifetime = new Lifetime();
        services.Insert(0, ServiceDescriptor.Singleton<IHostApplicationLifetime>(lifetime));
        services.Insert(1, ServiceDescriptor.Singleton<IHostLifetime>(_ => new SignalLifetime(lifetime)));
        var app = new SidecarApp(services.BuildServiceProvider(), lifetime);
        lifetime.Logger = app._logger;
        return app;
    }

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await _services.GetRequiredService<IHostLifetime>().WaitForStartAsync(cancellationToken).ConfigureAwait(false);
        foreach (var service in _services.GetServices<IHostedService>())
        {
            await service.StartAsync(cancellationToken).ConfigureAwait(false);
            _started.Add(service);
            if (service is BackgroundService { ExecuteTask: { } running }) _ = WatchAsync(service, running);
        }
        _lifetime.Notify(_lifetime.Started);
    }

    /// <summary>A background part that fails stops the whole sidecar, as it did under the Generic Host: half a sidecar would answer wrongly.</summary>
    private async Task WatchAsync(IHostedService service, Task running)
    {
        try
        {
            await running.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_lifetime.ApplicationStopping.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            LogPartFailed(service.GetType().Name, e);
            _lifetime.StopApplication();
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        _lifetime.StopApplication();
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(StopBudget);
        for (var i = _started.Count - 1; i >= 0; i--)
        {
            try
            {
                await _started[i].StopAsync(budget.Token).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                LogPartFailed(_started[i].GetType().Name, e);
            }
        }
        _started.Clear();
        await _services.GetRequiredService<IHostLifetime>().StopAsync(budget.Token).ConfigureAwait(false);
        _lifetime.Notify(_lifetime.Stopped);
    }

    public void Dispose() => _services.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [LoggerMessage(Level = LogLevel.Error, Message = "{Part} failed")]
    private partial void LogPartFailed(string part, Exception exception);

    /// <summary>Started, stopping and stopped, each told once.</summary>
    private sealed class Lifetime : IHostApplicationLifetime
    {
        private readonly CancellationTokenSource _stopping = new();

        public CancellationTokenSource Started { get; } = new();

        public CancellationTokenSource Stopped { get; } = new();

        public ILogger? Logger { get; set; }

        public CancellationToken ApplicationStarted => Started.Token;

        public CancellationToken ApplicationStopping => _stopping.Token;

        public CancellationToken ApplicationStopped => Stopped.Token;

        public void StopApplication() => Notify(_stopping);

        public void Notify(CancellationTokenSource source)
        {
            lock (source)
            {
                if (source.IsCancellationRequested) return;
                try
                {
                    source.Cancel();
                }
                catch (AggregateException e)
                {
                    // One callback's failure must not keep the others' from running or the sidecar from stopping.
                    Logger?.LogError(e, "A lifetime callback failed");
                }
            }
        }
    }

    /// <summary>SIGINT, SIGTERM and SIGQUIT stop the sidecar cleanly (its hosted parts stopped, its children ended) instead of killing it.</summary>
    private sealed class SignalLifetime(IHostApplicationLifetime lifetime) : IHostLifetime, IDisposable
    {
        private readonly List<PosixSignalRegistration> _signals = [];

        public Task WaitForStartAsync(CancellationToken cancellationToken)
        {
            foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGQUIT })
            {
                _signals.Add(PosixSignalRegistration.Create(signal, context =>
                {
                    context.Cancel = true;
                    lifetime.StopApplication();
                }));
            }
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public void Dispose()
        {
            foreach (var signal in _signals) signal.Dispose();
        }
    }
}
