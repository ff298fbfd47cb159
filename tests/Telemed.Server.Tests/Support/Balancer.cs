using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.LoadBalancing;
using Yarp.ReverseProxy.Model;

namespace Telemed.Server.Tests.Support;

/// <summary>
/// The load balancer in front of server processes, as deployed (nginx, the Kubernetes ingress) in miniature: a YARP
/// reverse proxy on a loopback port with sticky sessions. A client's first request goes to the first node (in the order
/// given) whose <c>/health/ready</c> answers 200, and a cookie keeps the client there — its negotiate request, its
/// WebSocket and any stateful reconnect of that WebSocket; when its node stops being ready, the client is sent to
/// another. <see cref="Pin"/> puts a client on a chosen node, <see cref="Cut"/> takes the network away.
/// </summary>
public sealed class Balancer : IAsyncDisposable
{
    public const string AffinityCookie = "telemed-node";

    // Read only by the pinning policy, on a client's first request (later ones carry the affinity cookie).
    private const string NodeHeader = "Telemed-Test-Node";

    private readonly WebApplication proxy;
    private readonly List<HttpContext> open = [];
    private TaskCompletionSource restored = Restored();

    private Balancer(WebApplication proxy) => this.proxy = proxy;

    public Uri Address => new(proxy.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    public static async Task<Balancer> Start(params Uri[] nodes)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<ILoadBalancingPolicy, PinnedOrFirstReady>();
        builder.Services.AddReverseProxy().LoadFromMemory(
            // The client's Host goes through, as nginx's proxy_set_header Host does (the server checks a browser's Origin against it).
            [new RouteConfig
            {
                RouteId = "all", ClusterId = "nodes", Match = new RouteMatch { Path = "{**rest}" },
                Transforms = [new Dictionary<string, string> { ["RequestHeaderOriginalHost"] = "true" }],
            }],
            [new ClusterConfig
            {
                ClusterId = "nodes",
                LoadBalancingPolicy = PinnedOrFirstReady.Name,
                SessionAffinity = new SessionAffinityConfig
                {
                    Enabled = true, Policy = "HashCookie", FailurePolicy = "Redistribute", AffinityKeyName = AffinityCookie,
                },
                HealthCheck = new HealthCheckConfig
                {
                    AvailableDestinationsPolicy = "HealthyOrPanic",
                    Active = new ActiveHealthCheckConfig
                    {
                        Enabled = true, Interval = TimeSpan.FromMilliseconds(100), Timeout = TimeSpan.FromSeconds(1), Policy = "ConsecutiveFailures",
                        Path = "/health/ready",
                    },
                },
                Metadata = new Dictionary<string, string> { ["ConsecutiveFailuresHealthPolicy.Threshold"] = "1" },
                Destinations = nodes.Select((node, index) => (index, node))
                    .ToDictionary(n => DestinationId(n.index), n => new DestinationConfig { Address = n.node.ToString() }),
            }]);
        var app = builder.Build();
        var balancer = new Balancer(app);
        app.Use(balancer.Through);
        app.MapReverseProxy();
        await app.StartAsync();
        return balancer;
    }

    /// <summary>The affinity cookie of node <paramref name="node"/> (its index in <see cref="Start"/>), for a client to carry.</summary>
    public async Task<Cookie> Pin(int node)
    {
        var cookies = new CookieContainer();
        using var client = new HttpClient(new HttpClientHandler { CookieContainer = cookies });
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(Address, "/health/live"));
        request.Headers.Add(NodeHeader, DestinationId(node));
        (await client.SendAsync(request)).EnsureSuccessStatusCode();
        return cookies.GetCookies(Address)[AffinityCookie] ?? throw new InvalidOperationException("The balancer set no affinity cookie.");
    }

    /// <summary>A client of the balancer that stays on node <paramref name="node"/> while it is ready.</summary>
    public async Task<HttpClient> ClientOn(int node)
    {
        var cookies = new CookieContainer();
        cookies.Add(Address, await Pin(node));
        return new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = Address };
    }

    /// <summary>The network goes: every connection through the balancer is cut, and new ones wait until <see cref="Restore"/>.</summary>
    public void Cut()
    {
        lock (open)
        {
            restored = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            foreach (var context in open)
            {
                context.Abort();
            }
        }
    }

    public void Restore()
    {
        lock (open)
        {
            restored.TrySetResult();
        }
    }

    private async Task Through(HttpContext context, RequestDelegate next)
    {
        Task waiting;
        lock (open)
        {
            waiting = restored.Task;
        }
        await waiting.WaitAsync(context.RequestAborted);
        lock (open)
        {
            open.Add(context);
        }
        try
        {
            await next(context);
        }
        finally
        {
            lock (open)
            {
                open.Remove(context);
            }
        }
    }

    private static TaskCompletionSource Restored()
    {
        var source = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        source.SetResult();
        return source;
    }

    private static string DestinationId(int node) => $"node{node}";

    public async ValueTask DisposeAsync()
    {
        Restore();
        await proxy.StopAsync();
        await proxy.DisposeAsync();
    }

    /// <summary>A new client goes where its first request asks (a test placing it), else to the first node that is ready.</summary>
    private sealed class PinnedOrFirstReady : ILoadBalancingPolicy
    {
        public const string Name = "PinnedOrFirstReady";

        string ILoadBalancingPolicy.Name => Name;

        public DestinationState? PickDestination(HttpContext context, ClusterState cluster, IReadOnlyList<DestinationState> availableDestinations)
        {
            var asked = context.Request.Headers[NodeHeader].ToString();
            return availableDestinations.FirstOrDefault(d => d.DestinationId == asked)
                ?? availableDestinations.OrderBy(d => d.DestinationId, StringComparer.Ordinal).FirstOrDefault();
        }
    }
}
