import './admin-page';
import '../shared/analytics-page';
import { $, api, show } from '../shared/app';
import { Dashboard, lastDays } from '../shared/analytics';
import { onLanguageChange } from '../shared/i18n';
import { closeHandOver, copyHandOver } from './hand-over';
import { loadLinks, renderLinks } from './links';
import { loadAudit, renderAudit } from './audit';
import { loadMessages, renderMessages } from './messages';
import { reasonOf, rewriteStatusLines } from './page';
import { buildRegistrationForms, loadPlaces } from './registration';
import { loadSessions, renderSessions } from './sessions';
import { renderFees } from './fees';
import { loadStaff, renderStaff } from './staff';

/**
 * The admin's home: the day's sessions across facilities with their figures, the staff by role (deactivate, with a
 * confirmation), the newest messages' delivery, the care contexts' links to patients' ABHA, and registration of
 * facilities, doctors, pharmacies, pharmacists and health officers. Staff sign in with the first password the admin
 * sets here; Telemed sends them nothing, so the page shows it once to hand over.
 */

let started = false;

export async function adminHome() {
  show('admin');
  if (!started) {
    started = true;
    buildRegistrationForms();
    wirePage();
    onLanguageChange(() => {
      rewriteStatusLines();
      renderSessions();
      renderFees();
      renderStaff();
      renderMessages();
      renderLinks();
      renderAudit();
    });
    $<HTMLInputElement>('adm-day').value = lastDays(1)[0];
  }
  await Promise.all([loadPlaces(), loadStaff(), loadSessions(), loadMessages(), loadLinks(), loadAudit()]);
}

function wirePage() {
  $('adm-sessions-filter').addEventListener('submit', event => {
    event.preventDefault();
    void loadSessions();
  });
  $('adm-facility').addEventListener('change', () => void loadSessions());
  $('adm-day').addEventListener('change', () => void loadSessions());
  $('adm-phase').addEventListener('change', renderSessions);
  $('adm-role').addEventListener('change', renderStaff);
  $('adm-messages-filter').addEventListener('submit', event => {
    event.preventDefault();
    void loadMessages();
  });
  $('adm-message-state').addEventListener('change', () => void loadMessages());
  $('adm-links-filter').addEventListener('submit', event => {
    event.preventDefault();
    void loadLinks();
  });
  $('adm-link-state').addEventListener('change', () => void loadLinks());
  $('adm-audit-filter').addEventListener('submit', event => {
    event.preventDefault();
    void loadAudit();
  });
  $('adm-audit-more').addEventListener('click', () => void loadAudit(true));
  $('adm-handover-done').addEventListener('click', closeHandOver);
  $('adm-handover-copy').addEventListener('click', () => void copyHandOver());
  let dashboard: Dashboard | undefined;
  $('adm-analytics').addEventListener('click', () => {
    show('analytics');
    $('an-back').hidden = false;
    dashboard ??= new Dashboard(api, $);
    void dashboard.open().catch(error => { $('error').textContent = reasonOf(error); });
  });
  $('an-back').addEventListener('click', () => {
    show('admin');
    $('adm-analytics').focus();
  });
}
