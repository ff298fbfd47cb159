import { $, api, show } from '../shared/app';
import { ApiError } from '../shared/api';
import { Dashboard, lastDays } from '../shared/analytics';
import {
  dayTotals, generatePassword, placeErrors, registrationBody, registrationForms, registrationKinds, sessionPhase, sessionsInPhase, staffByRole,
  type FieldSpec, type Place, type RegistrationKind, type SessionOfTheDay, type SessionPhase, type StaffMember, type StaffRole,
} from './admin-model';
import { applyTranslations, formatDate, formatNumber, formatTime, onLanguageChange, t } from '../shared/i18n';

/**
 * The admin's home: the day's sessions across facilities with their figures, the staff by role (deactivate, with a
 * confirmation), and registration of facilities, doctors, pharmacies, pharmacists and health officers. Staff sign in
 * with the first password the admin sets here; Telemed sends them nothing, so the page shows it once to hand over.
 */

let facilities: Place[] = [];
let pharmacies: Place[] = [];
let staff: StaffMember[] = [];
let sessions: SessionOfTheDay[] = [];
let sessionsDay = '';
let started = false;

/** Status lines are kept as functions of the language, so a switch rewrites what is on screen. */
const statusLines = new Map<HTMLElement, () => string>();
function say(element: HTMLElement, text: (() => string) | undefined) {
  if (text) statusLines.set(element, text);
  else statusLines.delete(element);
  element.textContent = text?.() ?? '';
}

const reasonOf = (error: unknown) => (error as Error).message;
function element<K extends keyof HTMLElementTagNameMap>(tag: K, properties: Record<string, unknown> = {}): HTMLElementTagNameMap[K] {
  return Object.assign(document.createElement(tag), properties);
}

export async function adminHome() {
  show('admin');
  if (!started) {
    started = true;
    buildRegistrationForms();
    wirePage();
    onLanguageChange(() => {
      for (const [line, text] of statusLines) line.textContent = text();
      renderSessions();
      renderStaff();
    });
    $<HTMLInputElement>('adm-day').value = lastDays(1)[0];
  }
  await Promise.all([loadPlaces(), loadStaff(), loadSessions()]);
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

async function loadPlaces() {
  [facilities, pharmacies] = await Promise.all([api.get<Place[]>('/api/facilities'), api.get<Place[]>('/api/admin/pharmacies')]);
  const filter = $<HTMLSelectElement>('adm-facility');
  const chosen = filter.value;
  filter.replaceChildren(filter.options[0], ...facilities.map(f => new Option(`${f.name} (${f.district})`, f.id)));
  filter.value = facilities.some(f => f.id === chosen) ? chosen : '';
  renderPlaceChoices();
}

// Sessions of the day.

async function loadSessions() {
  const status = $('adm-sessions-status');
  const table = $('adm-sessions');
  const day = $<HTMLInputElement>('adm-day').value || lastDays(1)[0];
  const facility = $<HTMLSelectElement>('adm-facility').value;
  table.setAttribute('aria-busy', 'true');
  say(status, () => t('admin.sessions.loading'));
  try {
    sessions = await api.get<SessionOfTheDay[]>(`/api/admin/sessions?day=${day}${facility ? `&facilityId=${facility}` : ''}`);
    sessionsDay = day;
    renderSessions();
  } catch (error) {
    sessions = [];
    sessionsDay = '';
    $('adm-totals').textContent = '';
    table.querySelector('tbody')!.replaceChildren();
    say(status, () => t('admin.sessions.failed', { reason: reasonOf(error) }));
  } finally {
    table.removeAttribute('aria-busy');
  }
}

function renderSessions() {
  if (!sessionsDay) return;
  const now = new Date();
  const shown = sessionsInPhase(sessions, $<HTMLSelectElement>('adm-phase').value as SessionPhase | '', now);
  const day = formatDate(sessionsDay);
  const totals = dayTotals(shown);
  say($('adm-sessions-status'), shown.length === 0 ? () => t('admin.sessions.empty', { day: formatDate(sessionsDay) }) : undefined);
  $('adm-totals').textContent = shown.length === 0 ? '' : t('admin.sessions.totals', { ...totals, day });
  $('adm-sessions').querySelector('tbody')!.replaceChildren(...shown.map(session => {
    const row = element('tr');
    row.dataset.session = session.id;
    const phase = sessionPhase(session, now);
    row.dataset.phase = phase;
    const f = session.figures;
    const cells = [
      session.facilityName,
      session.doctors.map(d => d.name).join(', ') + (session.specialty ? ` (${session.specialty})` : ''),
      `${formatTime(session.startsAt)}–${formatTime(session.endsAt)}`,
      t(`admin.phase.${phase}`),
      `${formatNumber(f.placesTaken)} / ${formatNumber(session.capacity)}`,
      formatNumber(f.waiting), formatNumber(f.withDoctor), formatNumber(f.seen), formatNumber(f.noShows), formatNumber(f.cancelledOrLeft),
      f.longestWaitMinutes === null ? t('admin.nobodyWaiting') : t('admin.minutes', { minutes: f.longestWaitMinutes }),
    ];
    const names = ['facility', 'doctors', 'time', 'status', 'booked', 'waiting', 'withDoctor', 'seen', 'noShows', 'cancelled', 'longestWait'];
    row.append(...cells.map((text, i) => {
      const cell = element(i === 0 ? 'th' : 'td', { textContent: text });
      if (i === 0) cell.setAttribute('scope', 'row');
      cell.dataset.figure = names[i];
      return cell;
    }));
    return row;
  }));
}

// Staff.

async function loadStaff() {
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

function renderStaff() {
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
    return t('admin.staff.doctorDetails', { hpr: d.hprId, qualification: d.qualification, registration: d.registrationNumber, council: d.stateCouncil });
  }
  if (member.pharmacist) {
    const p = member.pharmacist;
    const pharmacy = pharmacies.find(place => place.id === p.pharmacyId)?.name ?? '';
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

// Registration.

const fieldId = (kind: RegistrationKind, name: string) => `reg-${kind}-${name}`;

function buildRegistrationForms() {
  $('adm-register').replaceChildren(...registrationKinds.map(kind => {
    const panel = element('details', { className: 'register' });
    panel.id = `reg-${kind}-panel`;
    const summary = element('summary');
    summary.dataset.i18n = `admin.register.${kind}`;
    const form = element('form', { id: `reg-${kind}`, noValidate: true });
    form.append(...registrationForms[kind].fields.map(field => fieldBlock(kind, field)));
    const submit = element('button', { className: 'submit' });
    submit.dataset.i18n = 'admin.register.submit';
    const done = element('p', { className: 'form-status' });
    done.setAttribute('role', 'status');
    const failed = element('p', { className: 'form-error' });
    failed.setAttribute('role', 'alert');
    form.append(submit, failed, done);
    form.addEventListener('submit', event => {
      event.preventDefault();
      void register(kind, form);
    });
    panel.append(summary, form);
    return panel;
  }));
  applyTranslations($('adm-register'));
}

function fieldBlock(kind: RegistrationKind, field: FieldSpec) {
  const id = fieldId(kind, field.name);
  const block = element('div', { className: 'field' });
  block.dataset.field = field.name;
  const error = element('span', { id: `${id}-error`, className: 'field-error' });
  const described = [field.hint ? `${id}-hint` : '', error.id].filter(Boolean).join(' ');
  if (field.input === 'facilities') {
    const set = element('fieldset', { id });
    set.setAttribute('aria-describedby', described);
    const legend = element('legend');
    legend.dataset.i18n = field.label;
    set.append(legend, element('div', { className: 'choices' }));
    block.append(set, error);
    return block;
  }
  const label = element('label', { htmlFor: id });
  label.dataset.i18n = field.label;
  const control: HTMLSelectElement | HTMLInputElement = document.createElement(field.input === 'pharmacy' ? 'select' : 'input');
  Object.assign(control, { id, name: field.name });
  if (control instanceof HTMLInputElement) {
    control.type = field.input === 'email' ? 'email' : field.input === 'password' ? 'password' : 'text';
    control.setAttribute('autocomplete', field.autocomplete ?? 'off');
  }
  control.required = !field.optional;
  control.setAttribute('aria-describedby', described);
  block.append(label, control);
  if (field.input === 'password') {
    const suggest = element('button', { type: 'button', className: 'suggest' });
    suggest.dataset.i18n = 'admin.generate';
    suggest.addEventListener('click', () => {
      // Shown in clear, so the admin can read back what they are about to hand over.
      Object.assign(control, { type: 'text', value: generatePassword() });
      control.focus();
    });
    block.append(suggest);
  }
  if (field.hint) {
    const hint = element('small', { id: `${id}-hint`, className: 'hint' });
    hint.dataset.i18n = field.hint;
    block.append(hint);
  }
  block.append(error);
  return block;
}

/** The facility checkboxes and the pharmacy choice, from the registered places (after each registration too). */
function renderPlaceChoices() {
  const choices = $(fieldId('doctor', 'facilityIds')).querySelector('.choices')!;
  const checked = new Set([...choices.querySelectorAll<HTMLInputElement>('input:checked')].map(box => box.value));
  if (facilities.length === 0) {
    const none = element('p');
    none.dataset.i18n = 'admin.field.noFacilities';
    choices.replaceChildren(none);
  } else {
    choices.replaceChildren(...facilities.map(facility => {
      const box = element('input', { type: 'checkbox', name: 'facilityIds', value: facility.id, checked: checked.has(facility.id) });
      const label = element('label');
      label.append(box, ` ${facility.name} (${facility.district}, ${facility.hfrId ?? ''})`);
      return label;
    }));
  }
  const select = $<HTMLSelectElement>(fieldId('pharmacist', 'pharmacyId'));
  const chosen = select.value;
  const prompt = new Option('', '');
  prompt.dataset.i18n = pharmacies.length === 0 ? 'admin.field.noPharmacies' : 'admin.field.choosePharmacy';
  select.replaceChildren(prompt, ...pharmacies.map(p => new Option(`${p.name} (${p.district}, ${p.licenceNumber ?? ''})`, p.id)));
  select.value = pharmacies.some(p => p.id === chosen) ? chosen : '';
  applyTranslations($('adm-register'));
}

function formValues(form: HTMLFormElement) {
  const values: Record<string, string | string[]> = {};
  for (const control of form.querySelectorAll<HTMLInputElement | HTMLSelectElement>('input[name], select[name]')) {
    if (control instanceof HTMLInputElement && control.type === 'checkbox') {
      values[control.name] = [...(values[control.name] ?? []), ...(control.checked ? [control.value] : [])];
    } else values[control.name] = control.value;
  }
  return values;
}

function showFieldErrors(kind: RegistrationKind, form: HTMLFormElement, byField: Map<string, string>) {
  for (const field of registrationForms[kind].fields) {
    const id = fieldId(kind, field.name);
    const message = byField.get(field.name) ?? '';
    $(`${id}-error`).textContent = message;
    const control = $(id);
    if (message) control.setAttribute('aria-invalid', 'true');
    else control.removeAttribute('aria-invalid');
  }
  const first = registrationForms[kind].fields.find(field => byField.has(field.name));
  if (first) {
    const control = $(fieldId(kind, first.name));
    (control.matches('fieldset') ? control.querySelector<HTMLElement>('input') ?? control : control).focus();
  }
  form.querySelector('.form-status')!.textContent = '';
}

async function register(kind: RegistrationKind, form: HTMLFormElement) {
  const submit = form.querySelector<HTMLButtonElement>('.submit')!;
  const failed = form.querySelector<HTMLElement>('.form-error')!;
  const done = form.querySelector<HTMLElement>('.form-status')!;
  const values = formValues(form);
  showFieldErrors(kind, form, new Map());
  say(failed, undefined);
  say(done, () => t('admin.register.saving'));
  submit.disabled = true;
  try {
    const created = await api.post<StaffMember & Place>(registrationForms[kind].path, registrationBody(kind, values));
    form.reset();
    for (const password of form.querySelectorAll<HTMLInputElement>('input[name=password]')) password.type = 'password';
    if (kind === 'facility' || kind === 'pharmacy') {
      say(done, () => t('admin.register.placeDone', { name: created.name }));
      await loadPlaces();
    } else {
      say(done, undefined);
      handOver(created, String(values.password));
      await loadStaff();
    }
  } catch (error) {
    say(done, undefined);
    if (error instanceof ApiError && Object.keys(error.fields).length > 0) {
      const { byField, general } = placeErrors(kind, error.fields);
      say(failed, () => [t('admin.register.fixFields'), ...general].join(' '));
      showFieldErrors(kind, form, byField);
    } else {
      say(failed, () => t('admin.register.failed', { reason: reasonOf(error) }));
    }
  } finally {
    submit.disabled = false;
  }
}

// Handing over a new account's first password.

function handOver(account: StaffMember, password: string) {
  const panel = $('adm-handover');
  say($('adm-handover-who'), () => t('admin.handOver.who', { name: account.name, role: t(`role.${account.role}`), address: location.origin }));
  $('adm-handover-email').textContent = account.email;
  $('adm-handover-password').textContent = password;
  say($('adm-handover-copied'), undefined);
  panel.hidden = false;
  panel.focus();
}

function closeHandOver() {
  $('adm-handover-password').textContent = '';
  $('adm-handover').hidden = true;
  $('adm-register-heading').focus();
}

async function copyHandOver() {
  const status = $('adm-handover-copied');
  try {
    await navigator.clipboard.writeText(`${$('adm-handover-email').textContent}\n${$('adm-handover-password').textContent}`);
    say(status, () => t('admin.handOver.copied'));
  } catch {
    say(status, () => t('admin.handOver.copyFailed'));
  }
}
