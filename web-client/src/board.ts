import { HttpTransportType, HubConnectionBuilder, LogLevel } from '@microsoft/signalr';
import { describe, type BoardLine } from './board-view';

function render(lines: Map<string, BoardLine>) {
  const container = document.getElementById('lines')!;
  container.replaceChildren(...[...lines.values()].map(line => {
    const text = describe(line);
    const row = document.createElement('section');
    row.className = 'line';
    row.dataset.session = line.sessionId;
    row.innerHTML = '<h2></h2><div class="serving"><span class="label">Now serving</span><span class="tokens"></span></div>'
      + '<div class="next"><span class="label">Next</span><span class="tokens"></span></div>';
    row.querySelector('h2')!.textContent = text.title;
    row.querySelector('.serving .tokens')!.textContent = text.serving;
    row.querySelector('.next .tokens')!.textContent = text.next;
    return row;
  }));
}

async function start() {
  const facility = new URLSearchParams(location.search).get('facility');
  const status = document.getElementById('board-status')!;
  if (!facility) {
    status.textContent = 'Open this page as /board.html?facility=<facility id>.';
    return;
  }
  const lines = new Map<string, BoardLine>();
  const hub = new HubConnectionBuilder()
    .withUrl('/hubs/board', { skipNegotiation: true, transport: HttpTransportType.WebSockets })
    .withAutomaticReconnect({ nextRetryDelayInMilliseconds: () => 3000 })
    .configureLogging(LogLevel.Warning)
    .build();
  hub.on('BoardChanged', (line: BoardLine) => { lines.set(line.sessionId, line); render(lines); });
  const watch = async () => {
    for (const line of await hub.invoke<BoardLine[]>('WatchFacility', facility)) lines.set(line.sessionId, line);
    render(lines);
    status.textContent = '';
  };
  hub.onreconnecting(() => { status.textContent = 'Reconnecting…'; });
  hub.onreconnected(() => void watch());
  await hub.start();
  await watch();
}

void start().catch(() => { document.getElementById('board-status')!.textContent = 'Cannot reach the server; retrying when the page reloads.'; });
