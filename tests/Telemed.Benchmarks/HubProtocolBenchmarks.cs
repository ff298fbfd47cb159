using System.Buffers;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.Options;
using Telemed.Server.Consultations;

namespace Telemed.Benchmarks;

/// <summary>
/// What a relayed ICE candidate costs in each SignalR protocol: reading the sender's <c>SendIceCandidate</c> invocation
/// and writing the <c>IceCandidate</c> push to the addressee — the server's whole protocol work for one message.
/// </summary>
[MemoryDiagnoser]
public class HubProtocolBenchmarks
{
    private const string Candidate = "candidate:3244283093 1 udp 2122260223 127.0.0.1 38700 typ host generation 0 ufrag vtdA network-id 1 network-cost 50";
    private static readonly Guid Consultation = Guid.NewGuid();
    private static readonly Guid From = Guid.NewGuid();
    private static readonly Guid To = Guid.NewGuid();
    private static readonly InvocationMessage Push = new("IceCandidate", [new CandidateMessage(Consultation, From, To, Candidate, "0", 0)]);
    private readonly JsonHubProtocol json = new JsonHubProtocol(Options.Create(new JsonHubProtocolOptions()));
    private readonly MessagePackHubProtocol messagePack = new MessagePackHubProtocol(Options.Create(new MessagePackHubProtocolOptions()));
    private readonly ArrayBufferWriter<byte> output = new(1024);
    private ReadOnlySequence<byte> jsonSend;
    private ReadOnlySequence<byte> messagePackSend;

    [GlobalSetup]
    public void Setup()
    {
        // The sender's invocation as each protocol frames it (no invocation id: candidates are sent without a reply).
        var send = new InvocationMessage("SendIceCandidate", [Consultation, To, Candidate, "0", 0]);
        jsonSend = new ReadOnlySequence<byte>(json.GetMessageBytes(send));
        messagePackSend = new ReadOnlySequence<byte>(messagePack.GetMessageBytes(send));
    }

    [Benchmark(Description = "JSON: read SendIceCandidate")]
    public HubMessage? ReadJson() => Read(json, jsonSend);

    [Benchmark(Description = "MessagePack: read SendIceCandidate")]
    public HubMessage? ReadMessagePack() => Read(messagePack, messagePackSend);

    [Benchmark(Description = "JSON: write IceCandidate")]
    public int WriteJson() => Write(json);

    [Benchmark(Description = "MessagePack: write IceCandidate")]
    public int WriteMessagePack() => Write(messagePack);

    private static HubMessage? Read(IHubProtocol protocol, ReadOnlySequence<byte> frame)
    {
        var input = frame;
        return protocol.TryParseMessage(ref input, Binder.Instance, out var message) ? message : null;
    }

    private int Write(IHubProtocol protocol)
    {
        output.ResetWrittenCount();
        protocol.WriteMessage(Push, output);
        return output.WrittenCount;
    }

    /// <summary>The hub method's parameters, as the server binds them.</summary>
    private sealed class Binder : IInvocationBinder
    {
        public static readonly Binder Instance = new();

        public IReadOnlyList<Type> GetParameterTypes(string methodName) => [typeof(Guid), typeof(Guid), typeof(string), typeof(string), typeof(int?)];

        public Type GetReturnType(string invocationId) => typeof(object);

        public Type GetStreamItemType(string streamId) => typeof(object);
    }
}
