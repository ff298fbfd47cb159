import { $, api } from '../shared/app';
import { linkError, linksPath, type CareContextLinkView, type LinkState } from './admin-model';
import { formatDate, formatNumber, formatTime, t } from '../shared/i18n';
import { loadList, renderList, type TableTexts } from './page';

/** Care contexts linked (or being linked) to patients' ABHA through ABDM; a refused one stands out with ABDM's error. */

let links: CareContextLinkView[] | undefined;

const texts: TableTexts = {
  loading: () => t('admin.links.loading'), empty: () => t('admin.links.empty'), failed: reason => t('admin.links.failed', { reason }),
};

const moment = (at: string) => `${formatDate(at)} ${formatTime(at)}`;

export async function loadLinks() {
  const path = linksPath($<HTMLSelectElement>('adm-link-state').value as LinkState | '');
  links = await loadList('adm-links', 'adm-links-status', path, texts, p => api.get<CareContextLinkView[]>(p));
  renderLinks();
}

export function renderLinks() {
  if (!links) return;
  renderList('adm-links', 'adm-links-status', links, texts, link => ({
    data: { consultation: link.consultationId, state: link.state },
    attention: link.state === 'refused',
    cells: [
      ['updated', moment(link.updatedAt)],
      ['consultation', link.consultationId.slice(0, 8)],
      ['state', t(`admin.links.state.${link.state}`)],
      ['attempts', formatNumber(link.attempts)],
      ['next', link.nextAttemptAt ? moment(link.nextAttemptAt) : ''],
      ['linkedBy', link.linkedBy ? t(`admin.links.by.${link.linkedBy}`) : ''],
      ['error', linkError(link)],
    ],
  }));
}
