using Microsoft.AspNetCore.SignalR;
using Telemed.Domain.Identity;
using Telemed.Server.Identity;

namespace Telemed.Server.Realtime;

/// <summary>Told when a patient comes online or goes offline: their first hub connection opened, their last closed, or their node died.</summary>
public interface IPresenceObserver
{
    Task PresenceChanged(Guid patientId, bool online);
}

/// <summary>
/// The filter every signed-in hub shares: its connections are checked for revoked sessions (<see cref="LiveConnections"/>)
/// and a patient's count towards their presence, whichever hub they are on.
/// </summary>
public sealed partial class HubConnectionTracking(LiveConnections live, Presence presence, IPresenceObserver observer, ILogger<HubConnectionTracking> logger)
    : IHubFilter
{
    /// <summary>
    /// SignalR logs a hub method's failure only at Debug, and the caller sees "an error on the server": record which
    /// method failed and with what type of error (never the message, which may quote data).
    /// </summary>
    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        try
        {
            return await next(invocationContext);
        }
        catch (Exception e) when (e is not HubException and not OperationCanceledException)
        {
            HubMethodFailed(logger, invocationContext.Hub.GetType().Name, invocationContext.HubMethodName, e.GetType().FullName!);
            throw;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Hub method {Hub}.{Method} failed with {ErrorType}")]
    private static partial void HubMethodFailed(ILogger logger, string hub, string method, string errorType);

    public async Task OnConnectedAsync(HubLifetimeContext context, Func<HubLifetimeContext, Task> next)
    {
        var caller = context.Context;
        live.Opened(caller);
        if (caller.User!.IsInRole(Roles.Patient) && await presence.Connected(caller.User.AccountId()))
        {
            await observer.PresenceChanged(caller.User.AccountId(), online: true);
        }
        await next(context);
    }

    public async Task OnDisconnectedAsync(HubLifetimeContext context, Exception? exception, Func<HubLifetimeContext, Exception?, Task> next)
    {
        var caller = context.Context;
        live.Closed(caller.ConnectionId);
        await next(context, exception);
        if (caller.User!.IsInRole(Roles.Patient) && await presence.Disconnected(caller.User.AccountId()))
        {
            await observer.PresenceChanged(caller.User.AccountId(), online: false);
        }
    }
}
