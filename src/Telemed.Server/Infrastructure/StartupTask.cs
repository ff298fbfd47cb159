namespace Telemed.Server.Infrastructure;

/// <summary>
/// Work that must finish before the server accepts requests (schema, seed data). StartingAsync of every
/// hosted lifecycle service runs, in registration order, before any hosted service starts, Kestrel included.
/// </summary>
public abstract class StartupTask : IHostedLifecycleService
{
    public abstract Task StartingAsync(CancellationToken cancellationToken);

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
