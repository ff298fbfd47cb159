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
public sealed class HubConnectionTracking(LiveConnections live, Presence presence, IPresenceObserver observer) : IHubFilter
{
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
