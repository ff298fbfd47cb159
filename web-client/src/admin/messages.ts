import { $, api } from '../shared/app';
import { messagesPath, needsAttention, type DeliveryState, type MessageStatus } from './admin-model';
import { formatDate, formatNumber, formatTime, t } from '../shared/i18n';
import { loadList, renderList, type TableTexts } from './page';

/** The newest messages' delivery: recipient masked, never a text; a state filter brings out those that failed. */

let messages: MessageStatus[] | undefined;

const texts: TableTexts = {
  loading: () => t('admin.messages.loading'), empty: () => t('admin.messages.empty'), failed: reason => t('admin.messages.failed', { reason }),
};

export async function loadMessages() {
  const path = messagesPath($<HTMLSelectElement>('adm-message-state').value as DeliveryState | '');
  messages = await loadList('adm-messages', 'adm-messages-status', path, texts, p => api.get<MessageStatus[]>(p));
  renderMessages();
}

export function renderMessages() {
  if (!messages) return;
  renderList('adm-messages', 'adm-messages-status', messages, texts, message => ({
    data: { message: message.id, state: message.state },
    attention: needsAttention(message.state),
    cells: [
      ['at', `${formatDate(message.createdAt)} ${formatTime(message.createdAt)}`],
      ['channel', t(`admin.messages.channel.${message.channel}`)],
      ['to', message.to],
      ['template', message.template],
      ['state', t(`admin.messages.state.${message.state}`)],
      ['attempts', formatNumber(message.attempts)],
      ['provider', message.providerId ?? ''],
      ['error', message.lastError ?? ''],
    ],
  }));
}
