using JasperFx.Events;
using Marten;

namespace Telemed.Server.Infrastructure;

/// <summary>
/// Saves appends to journal streams — an account's refusals, a pharmacist's checks, a patient's record reads — where no
/// decision rests on the stream's version. Two such appends racing for the next version number (one pharmacist
/// account at two counters, a doctor and the patient reading at once) is then not a conflict to show anyone: the loser
/// writes again after the winner. Found by the consultation load run, where verifying prescriptions answered 409.
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
