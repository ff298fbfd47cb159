namespace Telemed.Server.Infrastructure;

/// <summary>
/// Wakes a background loop that otherwise waits for its next round: a ring while it waits ends the wait at once, rings
/// while it works make it go round once more (however many there were).
/// </summary>
public sealed class Doorbell : IDisposable
{
    private readonly SemaphoreSlim rung = new(0, 1);

    public void Ring()
    {
        if (rung.CurrentCount == 0)
        {
            try
            {
                rung.Release();
            }
            catch (SemaphoreFullException)
            {
                // Rung already.
            }
        }
    }

    /// <summary>Until rung or until <paramref name="timeout"/> has passed.</summary>
    public Task Wait(TimeSpan timeout, CancellationToken cancellationToken) => rung.WaitAsync(timeout, cancellationToken);

    public void Dispose() => rung.Dispose();
}
