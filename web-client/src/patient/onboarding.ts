import { $, api, failSafely } from '../shared/app';
import { ApiError, type Tokens } from '../shared/api';
import { chooseLanguage, currentLanguage, fillLanguageChooser, isLanguage, onLanguageChange, t } from '../shared/i18n';
import { emailProblem, personBody, personProblems, today, type FieldProblem, type Patient } from './person';
import { readPerson, showProblems } from './person-form';

/**
 * How patients come in, phone first and the language before anything: mobile → code → signed in. A new number is asked
 * for a profile (name, date or year of birth, sex, language, optional e-mail) only after its code is right: the server
 * answers alike for registered and new numbers until then. Registration ends with the ABHA step: verify an ABHA the
 * patient holds, create one, or skip (the profile's ABHA section, brought into the welcome until it is done).
 */
type SignedIn = (tokens: Tokens) => Promise<void>;

interface Registration { patient: Patient; tokens: Tokens }

const registerFields = ['name', 'dateOfBirth', 'yearOfBirth', 'sex', 'email'] as const;

// The number the code was asked for, and the new patient's name for the welcome: kept so a language switch can render again.
let mobile = '';
let welcomed: string | undefined;

onLanguageChange(() => {
  for (const input of document.querySelectorAll<HTMLInputElement>('input[name="patient-language"]')) input.checked = input.value === currentLanguage();
  $('register-intro').textContent = mobile ? t('register.intro', { mobile }) : '';
  if (welcomed) $('welcome-heading').textContent = t('welcome.heading', { name: welcomed });
});

/**
 * The sign-in's choice of language (in the page itself, one per language, each named in itself, so a patient finds
 * theirs before reading anything else and nothing moves when the script arrives); and every language in the choosers of
 * the language messages are written in (the patient's own, a family member's).
 */
function languageChoices() {
  fillLanguageChooser($<HTMLSelectElement>('register-language'));
  fillLanguageChooser($<HTMLSelectElement>('family-language'));
  for (const input of document.querySelectorAll<HTMLInputElement>('input[name="patient-language"]')) {
    input.checked = input.value === currentLanguage();
    input.addEventListener('change', () => { if (isLanguage(input.value)) void chooseLanguage(input.value); });
  }
}

export function startPatientSignIn(signedIn: SignedIn) {
  languageChoices();
  $('send-code').addEventListener('click', () => void failSafely(async () => {
    const asked = $<HTMLInputElement>('mobile').value;
    await api.post('/api/auth/otp', { mobile: asked, language: currentLanguage() });
    $('code-sent').textContent = t('signin.codeSent', { mobile: asked });
    $('code').focus();
  }));
  $('patient-form').addEventListener('submit', event => {
    event.preventDefault();
    void failSafely(async () => {
      mobile = $<HTMLInputElement>('mobile').value;
      const tokens = await verify();
      if (tokens) await signedIn(tokens);
      else openRegistration();
    });
  });
  $('register-form').addEventListener('submit', event => {
    event.preventDefault();
    void failSafely(() => register(signedIn));
  });
  $('register-other-number').addEventListener('click', () => {
    closeRegistration();
    $('mobile').focus();
  });
  $('welcome-later').addEventListener('click', closeWelcome);
  $('welcome-abha-verify').addEventListener('click', () => void failSafely(() => abhaStep('verify')));
  $('welcome-abha-create').addEventListener('click', () => void failSafely(() => abhaStep('create')));
}

/** The tokens of the number's patient; undefined when the code is right but nobody has registered the number yet. */
async function verify(): Promise<Tokens | undefined> {
  try {
    return await api.post<Tokens>('/api/auth/otp/verify', { mobile, code: $<HTMLInputElement>('code').value });
  } catch (error) {
    if (error instanceof ApiError && error.problem?.code === 'NotRegistered') return undefined;
    throw error;
  }
}

function openRegistration() {
  $('patient-form').hidden = true;
  $('staff-form').hidden = true;
  $('register-form').hidden = false;
  $('register-intro').textContent = t('register.intro', { mobile });
  $<HTMLSelectElement>('register-language').value = currentLanguage();
  $('register-heading').focus();
}

function closeRegistration() {
  $('register-form').hidden = true;
  $('patient-form').hidden = false;
  $('staff-form').hidden = false;
}

async function register(signedIn: SignedIn) {
  const input = readPerson('register');
  const email = $<HTMLInputElement>('register-email').value;
  const problems: FieldProblem[] = [...personProblems(input, today()), ...[emailProblem(email)].filter(p => p !== undefined)];
  showProblems('register', registerFields, problems);
  if (problems.length > 0) return;
  const body = {
    ...personBody(input), mobile, code: $<HTMLInputElement>('code').value, language: $<HTMLSelectElement>('register-language').value,
    email: email.trim() || undefined,
  };
  let registration: Registration;
  try {
    registration = await api.post<Registration>('/api/patients', body);
  } catch (error) {
    if (error instanceof ApiError && error.problem?.code === 'AlreadyRegistered') {
      // Registered meanwhile (another tab, another phone): the same code signs in.
      const tokens = await verify();
      closeRegistration();
      if (tokens) await signedIn(tokens);
      return;
    }
    // A code that lapsed while the form was filled in: ask for a new one, the form keeps what was typed.
    if (error instanceof ApiError && error.fields.code) closeRegistration();
    throw error;
  }
  closeRegistration();
  await signedIn(registration.tokens);
  welcome(registration.patient.name);
}

/** After registering: a word of welcome, and the ABHA step (link, create, or skip). */
function welcome(name: string) {
  welcomed = name;
  $('welcome').hidden = false;
  $('welcome-choices').hidden = false;
  $('welcome-heading').textContent = t('welcome.heading', { name });
  $('welcome-heading').focus();
}

let watchingAbha = false;

/** The ABHA pages come with this step, not with the sign-in page every visitor downloads. */
async function abhaStep(action: 'verify' | 'create') {
  $('welcome-choices').hidden = true;
  $('welcome-abha').append($('abha'));
  const { onAbhaLinked, startAbha } = await import('./abha');
  if (!watchingAbha) {
    watchingAbha = true;
    onAbhaLinked(() => {
      if (welcomed === undefined) return;
      const done = $('welcome-later');
      done.dataset.i18n = 'welcome.done';
      done.textContent = t('welcome.done');
    });
  }
  startAbha(action);
}

function closeWelcome() {
  welcomed = undefined;
  $('welcome').hidden = true;
  $('profile').after($('abha'));
  const later = $('welcome-later');
  later.dataset.i18n = 'welcome.later';
  later.textContent = t('welcome.later');
}
