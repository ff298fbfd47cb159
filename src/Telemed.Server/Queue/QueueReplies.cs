using Telemed.Domain.Queue;

namespace Telemed.Server.Queue;

/// <summary>How a queue outcome reads to a caller, the same over REST and the hub.</summary>
public static class QueueReplies
{
    public static (string Code, string Message) Describe(QueueOutcome outcome) => outcome.Failure switch
    {
        QueueFailure.NotFound => ("SessionNotFound", "There is no such OPD session."),
        QueueFailure.StaleVersion => ("StaleVersion", $"The queue has changed since you loaded it (now version {outcome.Session!.Version}). Reload and try again."),
        _ => (outcome.Error!.Code.ToString(), outcome.Error.Message),
    };

    /// <summary>The row a command changed: its token, or the token a call-next picked.</summary>
    public static QueueRow? TouchedRow(QueueOutcome outcome, QueueCommand command, Func<Guid, bool> isOnline)
    {
        var session = outcome.Session!;
        var token = command.Token ?? outcome.Events.OfType<TokenCalled>().Select(e => (int?)e.Token).FirstOrDefault();
        return token is { } t ? QueueViews.Row(session.Entries[t - 1], QueueViews.Positions(session), isOnline) : null;
    }
}
