// Opens SignalR connections to the queue and consultation hubs the way a browser page would (one connection per hub,
// side by side) and reports how many of those pairs started.
// Usage: node hub-probe.cjs BASE_URL ACCESS_TOKEN COUNT MODE
//   MODE negotiate: as the web client: the negotiate POST, then the WebSocket (two requests that must reach the same
//                   node), with stateful reconnect
//   MODE hold:      like negotiate, then keeps the connections open for 60 s (to watch a node shut down under them)
// Prints "MODE: N of COUNT started" (a pair started when both its connections did); exit 0 always (the caller judges the counts).
const path = require("node:path");
// The web client's own SignalR package (its node_modules: TELEMED_WEB_CLIENT, default web-client/).
const webClient = process.env.TELEMED_WEB_CLIENT ?? path.join(__dirname, "../../web-client");
const signalr = require(path.join(webClient, "node_modules/@microsoft/signalr"));

const [base, token, count, mode] = process.argv.slice(2);

const hubs = ["/hubs/queue", "/hubs/consultation"];

async function attempt() {
  const connections = hubs.map((hub) => new signalr.HubConnectionBuilder()
    .withUrl(`${base}${hub}`, { accessTokenFactory: () => token, transport: signalr.HttpTransportType.WebSockets })
    .withStatefulReconnect()
    .configureLogging(signalr.LogLevel.None)
    .build());
  try {
    await Promise.all(connections.map((connection) => connection.start()));
    if (mode === "hold") {
      for (const connection of connections) connection.onclose(() => console.log("closed by the server"));
      console.log("holding");
      await new Promise((resolve) => setTimeout(resolve, 60_000));
    }
    return true;
  } catch {
    return false;
  } finally {
    await Promise.all(connections.map((connection) => connection.stop()));
  }
}

(async () => {
  let started = 0;
  for (let i = 0; i < Number(count); i++) if (await attempt()) started++;
  console.log(`${mode}: ${started} of ${count} started`);
})();
