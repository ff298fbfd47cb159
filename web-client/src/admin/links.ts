import { $, api } from '../shared/app';
import { linkError, linksPath, type CareContextLinkView, type LinkState } from './admin-model';
import { formatDate, formatNumber, formatTime, t } from '../shared/i18n';
import { element, reasonOf, say } from './page';

/** Care contexts linked (or being linked) to patients' ABHA through ABDM; a refused one stands out with ABDM's error. */

let links: CareContextLinkView[] | undefined;

const moment = (at: string) => `${formatDate(at)} ${formatTime(at)}`;

export async function loadLinks() {
  const status = $('adm-links-status');
  const table = $('adm-links');
  table.setAttribute('aria-busy', 'true');
  say(status, () => t('admin.links.loading'));
  try {
    links = await api.get<CareContextLinkView[]>(linksPath($<HTMLSelectElement>('adm-link-state').value as LinkState | ''));
    renderLinks();
  } catch (error) {
    links = undefined;
    table.querySelector('tbody')!.replaceChildren();
    say(status, () => t('admin.links.failed', { reason: reasonOf(error) }));
  } finally {
    table.removeAttribute('aria-busy');
  }
}

export function renderLinks() {
  if (!links) return;
  say($('adm-links-status'), links.length === 0 ? () => t('admin.links.empty') : undefined);
  $('adm-links').querySelector('tbody')!.replaceChildren(...links.map(link => {
    const row = element('tr');
    row.dataset.consultation = link.consultationId;
    row.dataset.state = link.state;
    if (link.state === 'refused') row.className = 'attention';
    const cells: [string, string][] = [
      ['updated', moment(link.updatedAt)],
      ['consultation', link.consultationId.slice(0, 8)],
      ['state', t(`admin.links.state.${link.state}`)],
      ['attempts', formatNumber(link.attempts)],
      ['next', link.nextAttemptAt ? moment(link.nextAttemptAt) : ''],
      ['linkedBy', link.linkedBy ? t(`admin.links.by.${link.linkedBy}`) : ''],
      ['error', linkError(link)],
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
