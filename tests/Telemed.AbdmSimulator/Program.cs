using Telemed.AbdmSimulator;

// dotnet Telemed.AbdmSimulator.dll --urls http://127.0.0.1:5081 --Simulator:BridgeUrl=http://127.0.0.1:5080
await AbdmSimulator.Build(args).RunAsync();
