using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using System.Net.WebSockets;
using System.Security.Claims;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Connections.Features;
using Microsoft.AspNetCore.Http.Features;

namespace Telemed.Server.Realtime;

/// <summary>
/// One hub connection over one WebSocket (see <see cref="DirectHubSockets"/>). The pipes between socket and hub run
/// their readers inline: what the socket received is parsed and dispatched by the hub on the receiving thread, and what
/// the hub wrote is sent on the writing thread. A message the hub's <see cref="IHubFastLane"/> can carry out skips the hub
/// — but only while the hub has nothing pending for this connection (it has taken in every byte handed to it and runs no
/// invocation), so nothing the client sent later overtakes what it sent before.
/// </summary>
internal sealed class DirectHubConnection : ConnectionContext,
    IConnectionUserFeature, IConnectionHeartbeatFeature, ITransferFormatFeature, IHttpContextFeature, IConnectionIdFeature,
    IConnectionItemsFeature, IConnectionLifetimeFeature, IConnectionTransportFeature
{
    // Above the hub's largest message (128 KB), so a message being parsed never waits for itself.
    private static readonly PipeOptions Inline = new(
        pauseWriterThreshold: 512 * 1024, resumeWriterThreshold: 256 * 1024,
        readerScheduler: PipeScheduler.Inline, writerScheduler: PipeScheduler.Inline, useSynchronizationContext: false);

    // Room to receive a signalling message in one piece (a candidate is ≈ 300 bytes), so the fast lane can read it.
    private const int ReceiveAtLeast = 1024;

    // The hub's client time-out counts the messages it receives: while the fast lane takes them, the hub hears pings.
    private static readonly byte[] Ping = "{\"type\":6}\u001e"u8.ToArray();
    private static readonly long PingEvery = Stopwatch.Frequency * 5;

    private readonly WebSocket socket;
    private readonly DateTimeOffset? expiresAt;
    private readonly Pipe fromClient = new(Inline);
    private readonly Pipe toClient = new(Inline);
    private readonly CancellationTokenSource closed = new();
    private readonly List<(Action<object> Action, object State)> heartbeats = [];
    private readonly FeatureCollection features = new();
    private readonly IHubFastLane? fastLane;
    private long handedToHub;
    private long consumedByHub;
    private int invocationsRunning;
    private long lastHandedAt;
    private readonly SemaphoreSlim sending = new(1, 1);
    private long unsent;

    public DirectHubConnection(HttpContext context, WebSocket socket, DateTimeOffset? expiresAt, IHubFastLane? fastLane)
    {
        this.socket = socket;
        this.expiresAt = expiresAt;
        this.fastLane = fastLane;
        HttpContext = context;
        User = context.User;
        ConnectionId = Guid.NewGuid().ToString("N");
        Transport = new DuplexPipe(new HubInput(fromClient.Reader, this), new HubOutput(toClient.Writer, this));
        ConnectionClosed = closed.Token;
        features.Set<IConnectionUserFeature>(this);
        features.Set<IConnectionHeartbeatFeature>(this);
        features.Set<ITransferFormatFeature>(this);
        features.Set<IHttpContextFeature>(this);
        features.Set<IConnectionIdFeature>(this);
        features.Set<IConnectionItemsFeature>(this);
        features.Set<IConnectionLifetimeFeature>(this);
        features.Set<IConnectionTransportFeature>(this);
        features.Set(this);
    }

    public override string ConnectionId { get; set; }

    public override IFeatureCollection Features => features;

    public override IDictionary<object, object?> Items { get; set; } = new ConnectionItems();

    public override IDuplexPipe Transport { get; set; }

    public override CancellationToken ConnectionClosed { get; set; }

    public ClaimsPrincipal? User { get; set; }

    public HttpContext? HttpContext { get; set; }

    public TransferFormat SupportedFormats => TransferFormat.Text | TransferFormat.Binary;

    public TransferFormat ActiveFormat { get; set; } = TransferFormat.Text;

    public void OnHeartbeat(Action<object> action, object state)
    {
        lock (heartbeats)
        {
            heartbeats.Add((action, state));
        }
    }

    public void Tick(DateTimeOffset now)
    {
        if (now >= expiresAt)
        {
            Abort();
            return;
        }
        lock (heartbeats)
        {
            foreach (var (action, state) in heartbeats)
            {
                action(state);
            }
        }
    }

    /// <summary>The client's messages into the hub, until the client closes or the socket fails.</summary>
    public async Task Receive()
    {
        var writer = fromClient.Writer;
        try
        {
            while (true)
            {
                var memory = writer.GetMemory(ReceiveAtLeast);
                var received = await socket.ReceiveAsync(memory, CancellationToken.None);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }
                var handed = received.Count;
                if (received.EndOfMessage && await FastLaneTook(memory[..received.Count]))
                {
                    if (Stopwatch.GetTimestamp() - lastHandedAt < PingEvery)
                    {
                        continue;
                    }
                    Ping.CopyTo(memory);
                    handed = Ping.Length;
                }
                writer.Advance(handed);
                handedToHub += handed;
                lastHandedAt = Stopwatch.GetTimestamp();
                if ((await writer.FlushAsync()).IsCompleted)
                {
                    break;
                }
            }
        }
        catch (Exception exception) when (IsSocketGone(exception))
        {
            // Gone without a close frame: for the hub, the end of its input all the same.
        }
        finally
        {
            await writer.CompleteAsync();
            closed.Cancel();
        }
    }

    private async ValueTask<bool> FastLaneTook(Memory<byte> received) =>
        fastLane is not null && HubIdle && IsOneHubMessage(received.Span) && await fastLane.TryHandle(this, received[..^1]);

    // Read in this order: the hub counts an invocation as running before it acknowledges the bytes that carried it.
    private bool HubIdle => Interlocked.Read(ref consumedByHub) == handedToHub && Volatile.Read(ref invocationsRunning) == 0;

    private static bool IsOneHubMessage(ReadOnlySpan<byte> received) => received.IndexOf(DirectHubConnections.RecordSeparator) == received.Length - 1;

    public void InvocationStarted() => Interlocked.Increment(ref invocationsRunning);

    public void InvocationEnded() => Interlocked.Decrement(ref invocationsRunning);

    /// <summary>The hub's messages to the client, each write one WebSocket message; a close frame when the hub is done.</summary>
    public async Task Send()
    {
        var reader = toClient.Reader;
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync();
                var buffer = result.Buffer;
                try
                {
                    if (!buffer.IsEmpty)
                    {
                        await sending.WaitAsync();
                        try
                        {
                            await SendMessage(buffer);
                        }
                        finally
                        {
                            Interlocked.Add(ref unsent, -buffer.Length);
                            sending.Release();
                        }
                    }
                    if (result.IsCompleted || result.IsCanceled)
                    {
                        break;
                    }
                }
                finally
                {
                    reader.AdvanceTo(buffer.End);
                }
            }
            await sending.WaitAsync();
            try
            {
                if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                }
            }
            finally
            {
                sending.Release();
            }
        }
        catch (Exception exception) when (IsSocketGone(exception))
        {
            // The client is gone; the receiving side ends the hub.
        }
        finally
        {
            await reader.CompleteAsync();
        }
    }

    /// <summary>
    /// Sends one message (JSON, record separator included) straight to the client, if nothing the hub wrote is still
    /// waiting to be sent — which would then have to go first. False when it was not sent; the caller sends it through
    /// the hub's lifetime manager instead, behind whatever is waiting.
    /// </summary>
    public async ValueTask<bool> TrySend(ReadOnlyMemory<byte> message)
    {
        if (ActiveFormat != TransferFormat.Text || !sending.Wait(0))
        {
            return false;
        }
        try
        {
            if (Volatile.Read(ref unsent) != 0 || socket.State != WebSocketState.Open)
            {
                return false;
            }
            await socket.SendAsync(message, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
            return true;
        }
        catch (Exception exception) when (IsSocketGone(exception))
        {
            return true; // gone, as it would have been through the hub
        }
        finally
        {
            sending.Release();
        }
    }

    private async ValueTask SendMessage(ReadOnlySequence<byte> buffer)
    {
        var type = ActiveFormat == TransferFormat.Binary ? WebSocketMessageType.Binary : WebSocketMessageType.Text;
        if (buffer.IsSingleSegment)
        {
            await socket.SendAsync(buffer.First, type, endOfMessage: true, CancellationToken.None);
            return;
        }
        var position = buffer.Start;
        buffer.TryGet(ref position, out var pending);
        while (buffer.TryGet(ref position, out var next))
        {
            await socket.SendAsync(pending, type, endOfMessage: false, CancellationToken.None);
            pending = next;
        }
        await socket.SendAsync(pending, type, endOfMessage: true, CancellationToken.None);
    }

    /// <summary>The hub has finished with this connection: what it wrote last is sent, then the socket is closed.</summary>
    public void ApplicationEnded()
    {
        toClient.Writer.Complete();
        fromClient.Reader.Complete();
    }

    /// <summary>Ends the hub's reading as if the client had left; the hub closes the connection allowing a reconnect.</summary>
    public void Stop() => fromClient.Reader.CancelPendingRead();

    public override void Abort(ConnectionAbortedException abortReason)
    {
        socket.Abort();
        closed.Cancel();
    }

    private static bool IsSocketGone(Exception exception) =>
        exception is WebSocketException or OperationCanceledException or ConnectionAbortedException or IOException or ObjectDisposedException;

    private sealed record DuplexPipe(PipeReader Input, PipeWriter Output) : IDuplexPipe;

    /// <summary>The hub's output, counting the bytes it wrote that are not sent yet.</summary>
    private sealed class HubOutput(PipeWriter pipe, DirectHubConnection connection) : PipeWriter
    {
        public override void Advance(int bytes)
        {
            Interlocked.Add(ref connection.unsent, bytes);
            pipe.Advance(bytes);
        }

        public override Memory<byte> GetMemory(int sizeHint = 0) => pipe.GetMemory(sizeHint);

        public override Span<byte> GetSpan(int sizeHint = 0) => pipe.GetSpan(sizeHint);

        public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default) => pipe.FlushAsync(cancellationToken);

        public override void CancelPendingFlush() => pipe.CancelPendingFlush();

        public override void Complete(Exception? exception = null) => pipe.Complete(exception);
    }

    /// <summary>The hub's input, counting the bytes the hub has taken in (it acknowledges them after dispatching what they carried).</summary>
    private sealed class HubInput(PipeReader pipe, DirectHubConnection connection) : PipeReader
    {
        private ReadOnlySequence<byte> lastRead;

        public override ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
        {
            var reading = pipe.ReadAsync(cancellationToken);
            return reading.IsCompletedSuccessfully ? new(Seen(reading.Result)) : Awaited(reading);
        }

        [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
        private async ValueTask<ReadResult> Awaited(ValueTask<ReadResult> reading) => Seen(await reading);

        public override bool TryRead(out ReadResult result)
        {
            if (!pipe.TryRead(out result))
            {
                return false;
            }
            Seen(result);
            return true;
        }

        private ReadResult Seen(ReadResult result)
        {
            lastRead = result.Buffer;
            return result;
        }

        public override void AdvanceTo(SequencePosition consumed) => AdvanceTo(consumed, consumed);

        public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
        {
            var length = lastRead.Slice(lastRead.Start, consumed).Length;
            pipe.AdvanceTo(consumed, examined);
            Interlocked.Add(ref connection.consumedByHub, length);
        }

        public override void CancelPendingRead() => pipe.CancelPendingRead();

        public override void Complete(Exception? exception = null) => pipe.Complete(exception);
    }
}
