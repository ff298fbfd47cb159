using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace Telemed.Server.Abdm;

/// <summary>Telemed's calls to the gateway as HIP (on-* answers, notifications), with its HIP id in X-HIP-ID.</summary>
public sealed partial class HipGateway(AbdmHttp abdm, IOptions<AbdmOptions> options, IHostApplicationLifetime lifetime, ILogger<HipGateway> logger)
{
    /// <summary>Posts to the gateway; false (logged, not thrown) when it could not be delivered after the client's retries.</summary>
    public async Task<bool> Post(string path, JsonObject body)
    {
        try
        {
            await abdm.Send(HttpMethod.Post, options.Value.Gateway(path), body, lifetime.ApplicationStopping,
                request => request.Headers.Add(AbdmHeaders.HipId, options.Value.HipId));
            return true;
        }
        catch (Exception e) when (e is AbdmRefusedException or AbdmUnavailableException or OperationCanceledException)
        {
            CallFailed(logger, path, e.GetType().Name);
            return false;
        }
    }

    /// <summary>Answers off the callback's request: the gateway gets its 202 at once, the answer follows.</summary>
    public void Soon(Func<Task> work) => _ = Task.Run(work, lifetime.ApplicationStopping);

    [LoggerMessage(Level = LogLevel.Warning, Message = "ABDM call to {Path} not delivered: {ErrorType}")]
    private static partial void CallFailed(ILogger logger, string path, string errorType);
}
