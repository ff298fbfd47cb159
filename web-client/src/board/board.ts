import { HubConnectionBuilder, LogLevel } from '@microsoft/signalr';
import { describe, type BoardLine } from './board-view';
import { onLanguageChange, startI18n, t, type MessageKey } from '../shared/i18n';

const lines = new Map<string, BoardLine>();
// The status line's message (none once the board is live), kept so a language switch can show it again.
let status: MessageKey | undefined = 'board.connecting';

function render() {
  document.getElementById('board-status')!.textContent = status ? t(status) : '';
  const container = document.getElementById('lines')!;
  container.replaceChildren(...[...lines.values()].map(line => {
    const text = describe(line);
    const row = document.createElement('section');
    row.className = 'line';
    row.dataset.session = line.sessionId;
    row.innerHTML = '<h2></h2><div class="serving"><span class="label"></span><span class="tokens"></span></div>'
      + '<div class="next"><span class="label"></span><span class="tokens"></span></div>';
    row.querySelector('.serving .label')!.textContent = t('board.nowServing');
    row.querySelector('.next .label')!.textContent = t('board.next');
    row.querySelector('h2')!.textContent = text.title;
    row.querySelector('.serving .tokens')!.textContent = text.serving;
    row.querySelector('.next .tokens')!.textContent = text.next;
    return row;
  }));
}

async function start() {
  const facility = new URLSearchParams(location.search).get('facility');
  if (!facility) {
    showStatus('board.usage');
    return;
  }
  const hub = new HubConnectionBuilder()
    .withUrl('/hubs/board')
    .withStatefulReconnect()
    .withAutomaticReconnect({ nextRetryDelayInMilliseconds: () => 3000 })
    .configureLogging(LogLevel.Warning)
    .build();
  hub.on('BoardChanged', (line: BoardLine) => { lines.set(line.sessionId, line); render(); });
  const watch = async () => {
    for (const line of await hub.invoke<BoardLine[]>('WatchFacility', facility)) lines.set(line.sessionId, line);
    status = undefined;
    render();
  };
  hub.onreconnecting(() => showStatus('board.reconnecting'));
  hub.onreconnected(() => void watch());
  await hub.start();
  await watch();
}

function showStatus(message: MessageKey) {
  status = message;
  render();
}

await startI18n();
onLanguageChange(render);
render();
void start().catch(() => showStatus('board.unreachable'));
