using System.Threading.Channels;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Http.Connections.Client;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Telemed.Server.Tests.Support;

/// <summary>A real SignalR client over WebSockets to a test host, collecting what the server pushes.</summary>
public sealed class HubClient : IAsyncDisposable
{
    private readonly Dictionary<string, Channel<JsonElement>> pushes = [];

    private HubClient(HubConnection connection) => Connection = connection;

    public HubConnection Connection { get; }

    /// <summary>
    /// To a test host in this process, negotiating first as every client does, without stateful reconnect: in-process
    /// connections do not drop, and a test's burst of thousands of pipelined invocations would fill both sides' replay
    /// buffers, where each side waits for the other's acknowledgement.
    /// </summary>
    public static Task<HubClient> Connect(TelemedFactory host, string path, string? accessToken, params string[] pushNames)
    {
        if (host.OnLoopback)
        {
            // A host on a real port (one ABDM's simulator calls back): connect over the network like a browser.
            using var client = host.CreateClient();
            return Connect(client.BaseAddress!, path, accessToken, pushNames);
        }
        var server = host.Server;
        return Connect(server.BaseAddress, path, accessToken, options =>
        {
            options.HttpMessageHandlerFactory = _ => server.CreateHandler();
            options.WebSocketFactory = (context, cancellationToken) => new ValueTask<System.Net.WebSockets.WebSocket>(
                server.CreateWebSocketClient().ConnectAsync(context.Uri, cancellationToken));
        }, pushNames);
    }

    public const char RecordSeparator = '\u001e';

    /// <summary>A WebSocket to the consultation hub that has done the SignalR JSON handshake and nothing else.</summary>
    public static async Task<System.Net.WebSockets.WebSocket> Raw(TelemedFactory host, string accessToken)
    {
        var test = host.Server;
        var address = new Uri(test.BaseAddress, $"/hubs/consultation?access_token={Uri.EscapeDataString(accessToken)}".Replace("http", "ws", StringComparison.Ordinal));
        var socket = await test.CreateWebSocketClient().ConnectAsync(address, CancellationToken.None);
        await socket.SendAsync(System.Text.Encoding.UTF8.GetBytes("{\"protocol\":\"json\",\"version\":1}" + RecordSeparator),
            System.Net.WebSockets.WebSocketMessageType.Text, true, CancellationToken.None);
        await socket.ReceiveAsync(new byte[1024], CancellationToken.None); // the handshake reply
        return socket;
    }

    /// <summary>
    /// A WebSocket over the network to a hub of a host on a loopback port, without stateful reconnect, that has done the
    /// JSON handshake; its socket takes at most a few kilobytes unread, so a client that stops reading backs the server
    /// up at once.
    /// </summary>
    public static async Task<System.Net.WebSockets.ClientWebSocket> RawOverNetwork(TelemedFactory host, string path, string accessToken)
    {
        using var client = host.CreateClient();
        var address = new UriBuilder(new Uri(client.BaseAddress!, $"{path}?access_token={Uri.EscapeDataString(accessToken)}")) { Scheme = "ws" }.Uri;
        // Not disposed with the connect: the socket it opened lives on in the WebSocket.
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
                try
                {
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new System.Net.Sockets.NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        var webSocket = new System.Net.WebSockets.ClientWebSocket();
        await webSocket.ConnectAsync(address, new HttpMessageInvoker(handler), CancellationToken.None);
        await webSocket.SendAsync(System.Text.Encoding.UTF8.GetBytes("{\"protocol\":\"json\",\"version\":1}" + RecordSeparator),
            System.Net.WebSockets.WebSocketMessageType.Text, true, CancellationToken.None);
        await webSocket.ReceiveAsync(new byte[1024], CancellationToken.None); // the handshake reply
        return webSocket;
    }

    /// <summary>Sends an invocation of a hub method over a raw socket.</summary>
    public static Task Invoke(System.Net.WebSockets.WebSocket socket, string invocationId, string method, object[] arguments, CancellationToken cancellationToken = default) =>
        socket.SendAsync(System.Text.Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { type = 1, invocationId, target = method, arguments }) + RecordSeparator),
            System.Net.WebSockets.WebSocketMessageType.Text, true, cancellationToken);

    /// <summary>Whether the server closes this socket (or it breaks) within 10 s.</summary>
    public static async Task<bool> ServerClosed(System.Net.WebSockets.WebSocket socket)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var buffer = new byte[4096];
        try
        {
            while (true)
            {
                if ((await socket.ReceiveAsync(buffer, timeout.Token)).MessageType == System.Net.WebSockets.WebSocketMessageType.Close)
                {
                    return true;
                }
            }
        }
        catch (System.Net.WebSockets.WebSocketException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>
    /// Over a real socket to a server process (<see cref="ServerProcess"/>) or a <see cref="Balancer"/>, as browsers
    /// connect: with stateful reconnect (a dropped socket is replaced within the same connection and what was sent
    /// meanwhile is replayed) and, when that fails, automatic reconnect. <paramref name="affinity"/> is the balancer's
    /// cookie that keeps the client on one node. <c>Socket</c> is the connection's current WebSocket, so a test can drop it.
    /// </summary>
    public static async Task<(HubClient Client, Func<System.Net.WebSockets.ClientWebSocket> Socket)> ConnectWithSocket(
        Uri address, string path, string? accessToken, System.Net.Cookie? affinity, params string[] pushNames)
    {
        System.Net.WebSockets.ClientWebSocket? current = null;
        var client = await Connect(address, path, accessToken, options =>
        {
            if (affinity is not null)
            {
                options.Cookies.Add(address, affinity);
            }
            options.WebSocketFactory = async (context, cancellationToken) =>
            {
                var socket = new System.Net.WebSockets.ClientWebSocket();
                socket.Options.Cookies = context.Options.Cookies;
                await socket.ConnectAsync(context.Uri, cancellationToken);
                return current = socket;
            };
        }, pushNames, reconnect: true, stateful: true);
        return (client, () => current!);
    }

    /// <summary>Over a real socket to a server process or a balancer, as browsers connect (see <see cref="ConnectWithSocket"/>).</summary>
    public static async Task<HubClient> Connect(Uri address, string path, string? accessToken, System.Net.Cookie? affinity, params string[] pushNames) =>
        (await ConnectWithSocket(address, path, accessToken, affinity, pushNames)).Client;

    /// <summary>Straight to a server process, as browsers connect (see <see cref="ConnectWithSocket"/>).</summary>
    public static Task<HubClient> Connect(Uri address, string path, string? accessToken, params string[] pushNames) =>
        Connect(address, path, accessToken, affinity: null, pushNames);

    private static async Task<HubClient> Connect(
        Uri address, string path, string? accessToken, Action<HttpConnectionOptions> transport, string[] pushNames, bool reconnect = false, bool stateful = false)
    {
        var query = accessToken is null ? "" : $"?access_token={Uri.EscapeDataString(accessToken)}";
        var builder = new HubConnectionBuilder()
            .WithUrl(new Uri(address, path + query), options =>
            {
                options.Transports = HttpTransportType.WebSockets;
                transport(options);
            })
            .AddJsonProtocol(options => options.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase)));
        if (stateful)
        {
            builder.WithStatefulReconnect();
        }
        if (reconnect)
        {
            builder.WithAutomaticReconnect([TimeSpan.Zero, TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)]);
        }
        var connection = builder.Build();
        var client = new HubClient(connection);
        foreach (var name in pushNames)
        {
            var channel = Channel.CreateUnbounded<JsonElement>();
            client.pushes[name] = channel;
            connection.On<JsonElement>(name, message => channel.Writer.TryWrite(message));
        }
        await connection.StartAsync();
        return client;
    }

    public Task<JsonElement> Invoke(string method, params object?[] args) => Connection.InvokeCoreAsync<JsonElement>(method, args);

    /// <summary>The next push of this name that satisfies the condition (earlier ones are dropped).</summary>
    public async Task<JsonElement> Next(string name, Func<JsonElement, bool>? where = null, int timeoutSeconds = 10)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds));
        while (true)
        {
            var message = await pushes[name].Reader.ReadAsync(timeout.Token);
            if (where is null || where(message))
            {
                return message;
            }
        }
    }

    public bool Received(string name) => pushes[name].Reader.TryPeek(out _);

    /// <summary>Completes when the connection closes for good (call before what should close it).</summary>
    public Task Closed() => Once(handler => Connection.Closed += _ => handler());

    /// <summary>Completes when the connection has reconnected (call before what should make it reconnect).</summary>
    public Task Reconnected() => Once(handler => Connection.Reconnected += _ => handler());

    private static Task Once(Action<Func<Task>> subscribe)
    {
        var happened = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        subscribe(() =>
        {
            happened.TrySetResult();
            return Task.CompletedTask;
        });
        return happened.Task;
    }

    public async ValueTask DisposeAsync() => await Connection.DisposeAsync();
}

