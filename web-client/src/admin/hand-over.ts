import { $ } from '../shared/app';
import type { StaffMember } from './admin-model';
import { t } from '../shared/i18n';
import { say } from './page';

/**
 * A new account's first password, shown once to hand over: staff sign in with the password the admin sets, and Telemed
 * sends them nothing.
 */

export function handOver(account: StaffMember, password: string) {
  const panel = $('adm-handover');
  say($('adm-handover-who'), () => t('admin.handOver.who', { name: account.name, role: t(`role.${account.role}`), address: location.origin }));
  $('adm-handover-email').textContent = account.email;
  $('adm-handover-password').textContent = password;
  say($('adm-handover-copied'), undefined);
  panel.hidden = false;
  panel.focus();
}

export function closeHandOver() {
  $('adm-handover-password').textContent = '';
  $('adm-handover').hidden = true;
  $('adm-register-heading').focus();
}

export async function copyHandOver() {
  const status = $('adm-handover-copied');
  try {
    await navigator.clipboard.writeText(`${$('adm-handover-email').textContent}\n${$('adm-handover-password').textContent}`);
    say(status, () => t('admin.handOver.copied'));
  } catch {
    say(status, () => t('admin.handOver.copyFailed'));
  }
}
