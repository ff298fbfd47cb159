using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.SignalR;

namespace Telemed.Server.Realtime;

/// <summary>
/// Hub messages the direct transport (<see cref="DirectHubConnection"/>) may carry out itself, without SignalR's
/// invocation dispatch, registered keyed by the hub's type. The transport offers a message only while the hub has
/// nothing pending for the connection, so what a client sends still takes effect in the order it was sent.
/// </summary>
public interface IHubFastLane
{
    /// <summary>
    /// True when the message (one SignalR JSON message, without its record separator) was carried out; false to hand it
    /// to the hub as it is — for anything the hub would refuse, answer or record, which the hub does as always.
    /// </summary>
    ValueTask<bool> TryHandle(ConnectionContext connection, ReadOnlyMemory<byte> message);
}

/// <summary>Tells the direct transport while the hub is running one of its connection's invocations.</summary>
internal sealed class DirectHubInvocations : IHubFilter
{
    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        if (invocationContext.Context.Features.Get<DirectHubConnection>() is not { } connection)
        {
            return await next(invocationContext);
        }
        connection.InvocationStarted();
        try
        {
            return await next(invocationContext);
        }
        finally
        {
            connection.InvocationEnded();
        }
    }
}
