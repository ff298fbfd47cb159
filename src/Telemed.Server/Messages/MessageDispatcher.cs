using System.Collections.Concurrent;
using Marten;
using Microsoft.Extensions.Options;
using Npgsql;
using Telemed.Domain.Messages;
using Telemed.Server.Infrastructure;

namespace Telemed.Server.Messages;

/// <summary>
/// Hands due messages to their providers. Each pass claims a batch with <c>SELECT … FOR UPDATE SKIP LOCKED</c> and keeps
/// the rows locked until their new state is committed, so across any number of nodes one message has one sender at a
/// time. A node that dies mid-pass releases its locks with its connection; another node then hands the same messages
/// over again under the same idempotency keys, and the provider takes each once.
/// </summary>
public sealed partial class MessageDispatcher(
    IDocumentStore store,
    NpgsqlDataSource dataSource,
    IServiceProvider services,
    Messenger messenger,
    TimeProvider time,
    IOptions<MessageOptions> options,
    TelemedMetrics metrics,
    ILogger<MessageDispatcher> logger) : BackgroundService
{
    private readonly Doorbell wake = new();

    /// <summary>Looks for due messages now instead of at the next poll (called after a message is committed on this node).</summary>
    public void Wake() => wake.Ring();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // A full batch means more may be due: go again without waiting.
                if (await DispatchDue(stoppingToken) >= options.Value.BatchSize)
                {
                    continue;
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                PassFailed(logger, e.GetType().Name);
            }
            await wake.Wait(TimeSpan.FromMilliseconds(options.Value.PollMilliseconds), stoppingToken);
        }
    }

    /// <summary>One pass: claims, hands over and records up to a batch of due messages; returns how many it claimed.</summary>
    public async Task<int> DispatchDue(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var session = store.LightweightSession(Marten.Services.SessionOptions.ForTransaction(transaction));
        var due = await session.QueryAsync<OutgoingMessage>(
            $"select data from {Table(store)} where state = ? and due_at <= ? order by due_at limit ? for update skip locked",
            cancellationToken, nameof(DeliveryState.Pending), time.GetUtcNow(), settings.BatchSize);
        if (due.Count == 0)
        {
            return 0;
        }
        var handled = new ConcurrentBag<OutgoingMessage>();
        await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = settings.Concurrency, CancellationToken = cancellationToken },
            async (message, token) => handled.Add(await HandOver(message, token)));
        foreach (var message in handled)
        {
            session.Update(message);
        }
        await session.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        foreach (var message in handled)
        {
            metrics.MessageHandedOver(message.Channel, message.Template, message.State);
        }
        return due.Count;
    }

    /// <summary>
    /// Loads a message with its row locked until <paramref name="transaction"/> ends, waiting while a dispatcher holds it:
    /// every change to a message after it is queued goes through this lock (or the dispatcher's), so none is lost.
    /// </summary>
    public static async Task<OutgoingMessage?> LoadLocked(IDocumentSession session, Guid id, CancellationToken cancellationToken) =>
        (await session.QueryAsync<OutgoingMessage>($"select data from {Table(session.DocumentStore)} where id = ? for update", cancellationToken, id))
            .SingleOrDefault();

    private static string Table(IDocumentStore store) => store.Options.FindOrResolveDocumentType(typeof(OutgoingMessage)).TableName.QualifiedName;

    private async Task<OutgoingMessage> HandOver(OutgoingMessage message, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (message.ExpiresAt <= now)
        {
            return message with { State = DeliveryState.Lapsed, LastAttemptAt = now };
        }
        var composed = messenger.Compose(message, options.Value.PublicUrl);
        if (!composed.IsSuccess)
        {
            // Checked when queued, so only a catalogue changed under a waiting message gets here.
            return message with { State = DeliveryState.DeadLettered, LastError = composed.Error.Message, LastAttemptAt = now };
        }
        var provider = services.GetRequiredKeyedService<IMessageProvider>(message.Channel);
        var result = await provider.Send(message, composed.Value, cancellationToken);
        var after = Delivery.Attempted(message.Attempts, message.KeyGeneration, result.Outcome, time.GetUtcNow(), options.Value.Policy);
        if (after.State == DeliveryState.DeadLettered)
        {
            DeadLettered(logger, message.Id, message.Template, after.Attempts, result.Error ?? result.Outcome.ToString());
        }
        return message with
        {
            State = after.State,
            Attempts = after.Attempts,
            KeyGeneration = after.KeyGeneration,
            DueAt = after.DueAt,
            ProviderId = result.ProviderId ?? message.ProviderId,
            LastError = result.Error,
            LastAttemptAt = now,
        };
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message dispatch pass failed with {ErrorType}; retrying on the next pass.")]
    private static partial void PassFailed(ILogger logger, string errorType);

    [LoggerMessage(Level = LogLevel.Error, Message = "Message {MessageId} ({Template}) dead-lettered after {Attempts} attempt(s): {Reason}.")]
    private static partial void DeadLettered(ILogger logger, Guid messageId, string template, int attempts, string reason);

    public override void Dispose()
    {
        wake.Dispose();
        base.Dispose();
    }
}
