using JasperFx.Events;
using Marten;

namespace Telemed.Server.Infrastructure;

/// <summary>
/// Saves appends to journal streams — an account's refusals, a patient's record reads — where no decision rests on the
/// stream's version. Two such appends racing for the next version number (a doctor and the patient reading at once)
/// is then not a conflict to show anyone: the loser writes again after the winner. Found by the consultation load run.
/// A stream many write to all the time needs streams of its own instead (see the pharmacist's checks).
/// </summary>
public static class Journal
{
    private const int Attempts = 10;

    public static async Task Save(IDocumentStore store, Action<IDocumentSession> write, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var session = store.LightweightSession();
            write(session);
            try
            {
                await session.SaveChangesAsync(cancellationToken);
                return;
            }
            catch (EventStreamUnexpectedMaxEventIdException) when (attempt < Attempts)
            {
                await Task.Delay(Random.Shared.Next(1, 5 * attempt), cancellationToken);
            }
        }
    }
}
