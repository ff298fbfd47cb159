import { $, api } from '../shared/app';
import { registryStatus, staffByRole, type StaffMember, type StaffRole } from './admin-model';
import { t } from '../shared/i18n';
import { element, reasonOf, say } from './page';
import { places } from './places';

/** The staff by role, with deactivation (after a confirmation). */

let staff: StaffMember[] = [];

export async function loadStaff() {
  const status = $('adm-staff-status');
  say(status, () => t('admin.staff.loading'));
  try {
    staff = await api.get<StaffMember[]>('/api/admin/staff');
    say(status, undefined);
    renderStaff();
  } catch (error) {
    say(status, () => t('admin.staff.failed', { reason: reasonOf(error) }));
  }
}

export function renderStaff() {
  const role = $<HTMLSelectElement>('adm-role').value as StaffRole | '';
  const groups = staffByRole(staff, role);
  const container = $('adm-staff');
  if (groups.length === 0) {
    container.replaceChildren(element('p', { textContent: t('admin.staff.empty') }));
    return;
  }
  container.replaceChildren(...groups.flatMap(group => {
    const headingId = `adm-staff-${group.role}`;
    const heading = element('h4', { id: headingId, textContent: t(`admin.staff.group.${group.role}`) });
    const table = element('table', { className: 'staff' });
    const head = element('tr');
    for (const key of ['admin.staff.col.name', 'admin.staff.col.email', 'admin.staff.col.details', 'admin.staff.col.account'] as const) {
      const th = element('th', { textContent: t(key) });
      th.setAttribute('scope', 'col');
      head.append(th);
    }
    head.append(element('td'));
    table.createTHead().append(head);
    table.createTBody().append(...group.members.map(staffRow));
    const scroll = element('div', { className: 'table-scroll', tabIndex: 0 });
    scroll.setAttribute('role', 'region');
    scroll.setAttribute('aria-labelledby', headingId);
    scroll.append(table);
    return [heading, scroll];
  }));
}

function staffRow(member: StaffMember) {
  const row = element('tr');
  row.dataset.staff = member.id;
  row.dataset.active = String(member.active);
  const name = element('th', { textContent: member.name });
  name.setAttribute('scope', 'row');
  const you = member.id === api.tokens?.accountId;
  const account = member.active ? t(you ? 'admin.staff.you' : 'admin.staff.active') : t('admin.staff.deactivated');
  row.append(name, element('td', { textContent: member.email }), element('td', { textContent: details(member) }), element('td', { textContent: account }));
  const action = element('td');
  // The server refuses an admin switching themself off; the button is not offered rather than refused.
  if (member.active && !you) {
    const button = element('button', { type: 'button', className: 'danger', textContent: t('admin.staff.deactivate') });
    button.setAttribute('aria-label', t('admin.staff.deactivateWho', { name: member.name }));
    button.addEventListener('click', () => confirmDeactivation(member, button));
    action.append(button);
  }
  row.append(action);
  return row;
}

function details(member: StaffMember) {
  if (member.doctor) {
    const d = member.doctor;
    const facts = t('admin.staff.doctorDetails', { hpr: d.hprId, qualification: d.qualification, registration: d.registrationNumber, council: d.stateCouncil });
    const registry = registryStatus(member);
    if (!registry) return facts;
    return `${facts} · ${registry === 'verified' ? t('admin.staff.hprVerified') : t('admin.staff.hprUnverified', { reason: d.hpr?.proceedReason ?? '' })}`;
  }
  if (member.pharmacist) {
    const p = member.pharmacist;
    const pharmacy = places.pharmacies.find(place => place.id === p.pharmacyId)?.name ?? '';
    return t('admin.staff.pharmacistDetails', { registration: p.registrationNumber, council: p.stateCouncil, pharmacy });
  }
  return '';
}

function confirmDeactivation(member: StaffMember, opener: HTMLButtonElement) {
  const dialog = $<HTMLDialogElement>('adm-confirm');
  $('adm-confirm-title').textContent = t('admin.confirm.title', { name: member.name });
  $('adm-confirm-body').textContent = t('admin.confirm.body', { name: member.name });
  dialog.returnValue = '';
  dialog.onclose = () => {
    if (dialog.returnValue !== 'yes') {
      opener.focus();
      return;
    }
    void deactivate(member);
  };
  dialog.showModal();
}

async function deactivate(member: StaffMember) {
  const status = $('adm-staff-status');
  try {
    await api.post(`/api/admin/staff/${member.id}/deactivate`);
    say(status, () => t('admin.staff.deactivatedDone', { name: member.name }));
    staff = staff.map(s => (s.id === member.id ? { ...s, active: false } : s));
    renderStaff();
  } catch (error) {
    say(status, () => t('admin.staff.deactivateFailed', { name: member.name, reason: reasonOf(error) }));
  }
  // The row's button is gone; the outcome is where focus and the screen reader go next.
  status.focus();
}
