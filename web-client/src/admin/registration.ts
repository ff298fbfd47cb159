import { $, api } from '../shared/app';
import { ApiError } from '../shared/api';
import {
  generatePassword, placeErrors, registrationBody, registrationForms, registrationKinds, registryStatus,
  type FieldSpec, type Place, type RegistrationKind, type StaffMember,
} from './admin-model';
import { applyTranslations, t } from '../shared/i18n';
import { handOver } from './hand-over';
import { element, reasonOf, say } from './page';
import { fetchPlaces, places } from './places';
import { renderFacilityFilter } from './sessions';
import { loadStaff } from './staff';

/** Registration of facilities, doctors, pharmacies, pharmacists and health officers. */

const fieldId = (kind: RegistrationKind, name: string) => `reg-${kind}-${name}`;

export function buildRegistrationForms() {
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
  const control: HTMLSelectElement | HTMLInputElement = document.createElement(['pharmacy', 'facility', 'cadre'].includes(field.input) ? 'select' : 'input');
  if (field.input === 'cadre' && control instanceof HTMLSelectElement) {
    control.append(...(['communityHealthOfficer', 'anm'] as const).map(cadre => {
      const option = new Option('', cadre);
      option.dataset.i18n = `cadre.${cadre}`;
      return option;
    }));
  }
  Object.assign(control, { id, name: field.name });
  if (control instanceof HTMLInputElement) {
    control.type = field.input === 'email' ? 'email' : field.input === 'password' ? 'password' : 'text';
    control.setAttribute('autocomplete', field.autocomplete ?? 'off');
  }
  control.required = !field.optional;
  control.dataset.input = field.input;
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

/** The registered places, offered in the sessions' facility filter and in the registration forms. */
export async function loadPlaces() {
  await fetchPlaces();
  renderFacilityFilter();
  renderPlaceChoices();
}

/** The facility checkboxes and the pharmacy choice, from the registered places (after each registration too). */
function renderPlaceChoices() {
  const choices = $(fieldId('doctor', 'facilityIds')).querySelector('.choices')!;
  const checked = new Set([...choices.querySelectorAll<HTMLInputElement>('input:checked')].map(box => box.value));
  if (places.facilities.length === 0) {
    const none = element('p');
    none.dataset.i18n = 'admin.field.noFacilities';
    choices.replaceChildren(none);
  } else {
    choices.replaceChildren(...places.facilities.map(facility => {
      const box = element('input', { type: 'checkbox', name: 'facilityIds', value: facility.id, checked: checked.has(facility.id) });
      const label = element('label');
      label.append(box, ` ${facility.name} (${facility.district}, ${facility.hfrId ?? ''})`);
      return label;
    }));
  }
  const select = $<HTMLSelectElement>(fieldId('pharmacist', 'pharmacyId'));
  const chosen = select.value;
  const prompt = new Option('', '');
  prompt.dataset.i18n = places.pharmacies.length === 0 ? 'admin.field.noPharmacies' : 'admin.field.choosePharmacy';
  select.replaceChildren(prompt, ...places.pharmacies.map(p => new Option(`${p.name} (${p.district}, ${p.licenceNumber ?? ''})`, p.id)));
  select.value = places.pharmacies.some(p => p.id === chosen) ? chosen : '';
  for (const facilitySelect of $('adm-register').querySelectorAll<HTMLSelectElement>('select[data-input=facility]')) {
    const kept = facilitySelect.value;
    const none = new Option('', '');
    none.dataset.i18n = places.facilities.length === 0 ? 'admin.field.noFacilities' : 'admin.field.chooseFacility';
    facilitySelect.replaceChildren(none, ...places.facilities.map(f => new Option(`${f.name} (${f.district}, ${f.hfrId ?? ''})`, f.id)));
    facilitySelect.value = places.facilities.some(f => f.id === kept) ? kept : '';
  }
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
    const registry = registryStatus(created);
    const checked = registry ? () => t(`admin.registry.${registry}`) : undefined;
    if (kind === 'hub-spoke') {
      say(done, () => t('admin.register.linked'));
    } else if (kind === 'facility' || kind === 'pharmacy') {
      say(done, () => [t('admin.register.placeDone', { name: created.name }), checked?.()].filter(Boolean).join(' '));
      await loadPlaces();
    } else {
      say(done, checked);
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
