import { $, api, failSafely, storageKeys } from '../shared/app';
import type { RefreshCookie, Tokens } from '../shared/api';
import { onLanguageChange, relationWords, t } from '../shared/i18n';
import { fillList } from '../shared/lists';
import { ageOn, personBody, personProblems, relationProblem, today, type FieldProblem, type Patient } from './person';
import { readPerson, renderRelationChoices, showProblems } from './person-form';

/**
 * The family on the patient's number: the guardian lists, adds and edits family members and consults for one of them.
 * Consulting for a family member takes a sign-in of theirs (held by the guardian) and reloads the page as them, so
 * everything after — check-in, the waiting room, the call, their records — is theirs; the guardian's own sign-in is kept
 * to go back to (its refresh token in the browser's cookie beside the family member's; the tab remembers only which
 * cookie it uses, and the guardian's name).
 */

/** While consulting for a family member: the guardian's name. */
export interface Guardian { name: string }

const formFields = ['name', 'dateOfBirth', 'yearOfBirth', 'sex', 'relation'] as const;

// What the panel shows, kept so a language switch can render it again.
let me: Patient | undefined;
let members: Patient[] | undefined;
let editing: Patient | 'new' | undefined;

onLanguageChange(render);

export function actingGuardian(): Guardian | undefined {
  const saved = sessionStorage.getItem(storageKeys.guardian);
  return saved ? JSON.parse(saved) as Guardian : undefined;
}

/** The family panel for the patient signed in with their number, or the banner of a guardian consulting for a family member. */
export async function showFamily(patient: Patient) {
  me = patient;
  members = patient.guardianId ? undefined : await api.get<Patient[]>('/api/dependants');
  render();
}

function render() {
  renderRelationChoices();
  if (!me) return;
  const acting = Boolean(me.guardianId);
  $('acting').hidden = !acting;
  $('family').hidden = acting;
  if (acting) {
    $('acting-text').textContent = t('acting.banner', { name: me.name });
    $('acting-back').hidden = !actingGuardian();
    return;
  }
  if (members) fillList($('family-members'), members.map(memberItem), t('family.none'));
  $('family-form').hidden = !editing;
  $('family-form-heading').textContent = editing === 'new' ? t('family.addHeading') : editing ? t('family.editHeading', { name: editing.name }) : '';
}

function memberItem(member: Patient) {
  const item = document.createElement('li');
  item.dataset.member = member.id;
  item.append(Object.assign(document.createElement('p'), {
    textContent: t('family.member', { name: member.name, age: ageOn(member.yearOfBirth, member.dateOfBirth, today()), relation: relationWords(member.guardianRelation) }),
  }));
  const actions = Object.assign(document.createElement('div'), { className: 'actions' });
  const act = Object.assign(document.createElement('button'), { type: 'button', textContent: t('family.actFor', { name: member.name }) });
  act.dataset.action = 'act';
  act.addEventListener('click', () => void failSafely(() => actFor(member)));
  const edit = Object.assign(document.createElement('button'), { type: 'button', textContent: t('family.edit') });
  edit.dataset.action = 'edit';
  edit.addEventListener('click', () => openForm(member));
  actions.append(act, edit);
  item.append(actions);
  return item;
}

function openForm(member: Patient | 'new') {
  editing = member;
  const form = $<HTMLFormElement>('family-form');
  form.reset();
  showProblems('family', formFields, []);
  render();
  const value = (field: string, text: string) => { $<HTMLInputElement>(`family-${field}`).value = text; };
  value('language', me?.language ?? 'en');
  if (member !== 'new') {
    value('name', member.name);
    value('dateOfBirth', member.dateOfBirth ?? '');
    value('yearOfBirth', member.dateOfBirth ? '' : String(member.yearOfBirth));
    value('sex', member.sex);
    value('relation', member.guardianRelation ?? '');
    value('language', member.language);
  }
  $('family-form-heading').focus();
}

function closeForm() {
  const was = editing;
  editing = undefined;
  render();
  const back = was === 'new' || !was ? $('family-add') : $('family-members').querySelector<HTMLButtonElement>(`li[data-member='${was.id}'] button[data-action='edit']`);
  back?.focus();
}

async function save() {
  const input = readPerson('family');
  const relation = $<HTMLSelectElement>('family-relation').value;
  const problems: FieldProblem[] = [...personProblems(input, today()), ...[relationProblem(relation)].filter(p => p !== undefined)];
  showProblems('family', formFields, problems);
  if (problems.length > 0 || !editing) return;
  const body = { ...personBody(input), relation, language: $<HTMLSelectElement>('family-language').value };
  const saved = editing === 'new'
    ? await api.post<Patient>('/api/dependants', body)
    : (await api.put<Patient>(`/api/dependants/${editing.id}`, body)).value;
  members = await api.get<Patient[]>('/api/dependants');
  closeForm();
  $('family-status').textContent = t('family.saved', { name: saved.name });
}

/** Takes a sign-in of the family member's and opens the page as them; the guardian's own stays in this tab. */
async function actFor(member: Patient) {
  // The family member's refresh token comes as its cookie; the reload takes an access token from it.
  await api.post<Tokens>(`/api/dependants/${member.id}/session`);
  sessionStorage.setItem(storageKeys.guardian, JSON.stringify({ name: me!.name } satisfies Guardian));
  sessionStorage.setItem(storageKeys.signIn, 'acting' satisfies RefreshCookie);
  location.reload();
}

function backToGuardian() {
  if (!actingGuardian()) return;
  sessionStorage.removeItem(storageKeys.guardian);
  sessionStorage.setItem(storageKeys.signIn, 'own' satisfies RefreshCookie);
  location.reload();
}

$('family-add').addEventListener('click', () => openForm('new'));
$('family-cancel').addEventListener('click', closeForm);
$('family-form').addEventListener('submit', event => {
  event.preventDefault();
  void failSafely(save);
});
$('acting-back').addEventListener('click', backToGuardian);
