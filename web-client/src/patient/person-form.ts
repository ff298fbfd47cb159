import { $ } from '../shared/app';
import { t } from '../shared/i18n';
import { relations, type FieldProblem, type PersonInput } from './person';

/**
 * The fields of a person's form (registration, a family member), named <prefix>-name, <prefix>-dateOfBirth … in the
 * page: read them, and show what is wrong beside the form and on each field.
 */
export function readPerson(prefix: string): PersonInput {
  const value = (field: string) => $<HTMLInputElement>(`${prefix}-${field}`).value;
  return { name: value('name'), dateOfBirth: value('dateOfBirth'), yearOfBirth: value('yearOfBirth'), sex: value('sex') };
}

export function showProblems(prefix: string, fields: readonly FieldProblem['field'][], problems: FieldProblem[]) {
  $(`${prefix}-problems`).replaceChildren(...problems.map(p => Object.assign(document.createElement('li'), { textContent: t(p.key, p.params) })));
  for (const field of fields) {
    const control = $(`${prefix}-${field}`);
    if (problems.some(p => p.field === field)) control.setAttribute('aria-invalid', 'true');
    else control.removeAttribute('aria-invalid');
  }
}

/** Fills every relation list (select.relations) in the reader's language, keeping what is chosen. */
export function renderRelationChoices() {
  for (const select of document.querySelectorAll<HTMLSelectElement>('select.relations')) {
    const chosen = select.value;
    select.replaceChildren(Object.assign(document.createElement('option'), { value: '', textContent: t('person.choose') }),
      ...relations.map(relation => Object.assign(document.createElement('option'), { value: relation, textContent: t(`person.relation.${relation}`) })));
    select.value = chosen;
  }
}
