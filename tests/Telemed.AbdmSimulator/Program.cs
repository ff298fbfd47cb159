namespace Telemed.AbdmSimulator;

/// <summary>dotnet Telemed.AbdmSimulator.dll --urls http://127.0.0.1:5081 --Simulator:BridgeUrl=http://127.0.0.1:5080</summary>
internal static class Program
{
    private static Task Main(string[] args) => Simulator.Build(args).RunAsync();
}
