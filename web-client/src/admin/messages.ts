import { $, api } from '../shared/app';
import { messagesPath, needsAttention, type DeliveryState, type MessageStatus } from './admin-model';
import { formatDate, formatNumber, formatTime, t } from '../shared/i18n';
import { element, reasonOf, say } from './page';

/** The newest messages' delivery: recipient masked, never a text; a state filter brings out those that failed. */

let messages: MessageStatus[] | undefined;

export async function loadMessages() {
  const status = $('adm-messages-status');
  const table = $('adm-messages');
  table.setAttribute('aria-busy', 'true');
  say(status, () => t('admin.messages.loading'));
  try {
    messages = await api.get<MessageStatus[]>(messagesPath($<HTMLSelectElement>('adm-message-state').value as DeliveryState | ''));
    renderMessages();
  } catch (error) {
    messages = undefined;
    table.querySelector('tbody')!.replaceChildren();
    say(status, () => t('admin.messages.failed', { reason: reasonOf(error) }));
  } finally {
    table.removeAttribute('aria-busy');
  }
}

export function renderMessages() {
  if (!messages) return;
  say($('adm-messages-status'), messages.length === 0 ? () => t('admin.messages.empty') : undefined);
  $('adm-messages').querySelector('tbody')!.replaceChildren(...messages.map(message => {
    const row = element('tr');
    row.dataset.message = message.id;
    row.dataset.state = message.state;
    if (needsAttention(message.state)) row.className = 'attention';
    const cells: [string, string][] = [
      ['at', `${formatDate(message.createdAt)} ${formatTime(message.createdAt)}`],
      ['channel', t(`admin.messages.channel.${message.channel}`)],
      ['to', message.to],
      ['template', message.template],
      ['state', t(`admin.messages.state.${message.state}`)],
      ['attempts', formatNumber(message.attempts)],
      ['provider', message.providerId ?? ''],
      ['error', message.lastError ?? ''],
    ];
    row.append(...cells.map(([name, text], i) => {
      const cell = element(i === 0 ? 'th' : 'td', { textContent: text });
      if (i === 0) cell.setAttribute('scope', 'row');
      cell.dataset.column = name;
      return cell;
    }));
    return row;
  }));
}
