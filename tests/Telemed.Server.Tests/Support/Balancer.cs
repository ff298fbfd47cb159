using System.Net;
using System.Net.Sockets;

namespace Telemed.Server.Tests.Support;

/// <summary>
/// The load balancer in front of server processes, in miniature: every new TCP connection goes to the first node
/// whose <c>/health/ready</c> answered 200 at the last probe (every 100 ms), as a Kubernetes Service or nginx with
/// health checks would route. Connections already open stay on their node until one side closes them.
/// </summary>
public sealed class Balancer : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly Uri[] nodes;
    private readonly bool[] ready;
    private readonly CancellationTokenSource stop = new();
    private Task running = Task.CompletedTask;

    private Balancer(Uri[] nodes)
    {
        this.nodes = nodes;
        ready = new bool[nodes.Length];
    }

    public Uri Address => new($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}");

    public static async Task<Balancer> Start(params Uri[] nodes)
    {
        var balancer = new Balancer(nodes);
        using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(1) };
        await balancer.ProbeOnce(probe);
        balancer.listener.Start();
        balancer.running = Task.WhenAll(balancer.Probe(), balancer.Accept());
        return balancer;
    }

    private async Task Probe()
    {
        using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(1) };
        while (!stop.IsCancellationRequested)
        {
            await ProbeOnce(probe);
            await Task.Delay(100, stop.Token).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    private async Task ProbeOnce(HttpClient probe)
    {
        for (var i = 0; i < nodes.Length; i++)
        {
            try
            {
                ready[i] = (await probe.GetAsync(new Uri(nodes[i], "/health/ready"), stop.Token)).StatusCode == HttpStatusCode.OK;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                ready[i] = false;
            }
        }
    }

    private async Task Accept()
    {
        var connections = new List<Task>();
        try
        {
            while (true)
            {
                connections.Add(Forward(await listener.AcceptTcpClientAsync(stop.Token)));
            }
        }
        catch (OperationCanceledException)
        {
        }
        await Task.WhenAll(connections);
    }

    private async Task Forward(TcpClient inbound)
    {
        using var _ = inbound;
        var target = Array.FindIndex(ready, isReady => isReady);
        if (target < 0)
        {
            return;
        }
        using var outbound = new TcpClient();
        try
        {
            await outbound.ConnectAsync(IPAddress.Loopback, nodes[target].Port, stop.Token);
            using var bothOpen = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
            await Task.WhenAny(Copy(inbound, outbound, bothOpen.Token), Copy(outbound, inbound, bothOpen.Token));
            await bothOpen.CancelAsync();
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
        }
    }

    /// <summary>Copies until the source closes, then passes the close on.</summary>
    private static async Task Copy(TcpClient from, TcpClient to, CancellationToken cancellationToken)
    {
        try
        {
            await from.GetStream().CopyToAsync(to.GetStream(), cancellationToken);
            to.Client.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Stop();
        await running;
        stop.Dispose();
    }
}
