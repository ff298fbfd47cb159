using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Telemed.Domain.Identity;

namespace Telemed.Server.Analytics;

public interface IAlertClient
{
    /// <summary>A district's syndrome count just exceeded what EARS expects (the token is the push's deadline, not an argument).</summary>
    Task OutbreakAlert(OutbreakAlert alert, CancellationToken deadline);
}

/// <summary>Outbreak alerts at /hubs/alerts, pushed to the health officers and admins online. It has no methods: it only listens.</summary>
[Authorize(Roles = $"{Roles.HealthOfficer},{Roles.Admin}")]
public sealed class AlertHub : Hub<IAlertClient>
{
    public const string HealthOfficers = "health-officers";

    public override async Task OnConnectedAsync()
    {
        await Groups.AddToGroupAsync(Context.ConnectionId, HealthOfficers);
        await base.OnConnectedAsync();
    }
}
