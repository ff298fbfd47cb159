import { $, api } from '../shared/app';
import { auditPath, type AuditEntryView, type AuditFilters, type AuditOutcome, type AuditPage } from './admin-model';
import { formatDate, formatTime, t } from '../shared/i18n';
import { loadList, renderList, type TableTexts } from './page';

/** The audit trail, searched: newest first, a page at a time; refusals stand out. */

let entries: AuditEntryView[] | undefined;
let nextOffset: number | undefined;

const texts: TableTexts = {
  loading: () => t('admin.audit.loading'), empty: () => t('admin.audit.empty'), failed: reason => t('admin.audit.failed', { reason }),
};

function filters(): AuditFilters {
  return {
    accountId: $<HTMLInputElement>('adm-audit-account').value,
    resource: $<HTMLInputElement>('adm-audit-resource').value,
    action: $<HTMLInputElement>('adm-audit-action').value,
    outcome: $<HTMLSelectElement>('adm-audit-outcome').value as AuditOutcome | '',
    from: $<HTMLInputElement>('adm-audit-from').value,
    to: $<HTMLInputElement>('adm-audit-to').value,
  };
}

/** A new search (the first page), or the next page of the same search added below what is shown. */
export async function loadAudit(more = false) {
  const offset = more ? nextOffset ?? 0 : 0;
  const loaded = await loadList('adm-audit', 'adm-audit-status', auditPath(filters(), offset), texts, async path => {
    const page = await api.get<AuditPage>(path);
    nextOffset = page.nextOffset ?? undefined;
    return page.entries;
  });
  if (!loaded) {
    entries = undefined;
    nextOffset = undefined;
  } else {
    entries = more ? [...(entries ?? []), ...loaded] : loaded;
  }
  $('adm-audit-more').hidden = nextOffset === undefined;
  renderAudit();
}

export function renderAudit() {
  if (!entries) return;
  renderList('adm-audit', 'adm-audit-status', entries, texts, entry => ({
    data: { account: entry.accountId, outcome: entry.outcome },
    attention: entry.outcome === 'refused',
    cells: [
      ['at', `${formatDate(entry.at)} ${formatTime(entry.at)}`],
      ['account', entry.accountId],
      ['action', entry.action],
      ['resource', entry.resource],
      ['outcome', t(`admin.audit.outcome.${entry.outcome}`)],
      ['from', entry.from ?? ''],
    ],
  }));
}
