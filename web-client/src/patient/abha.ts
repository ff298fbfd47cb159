import { $, api } from '../shared/app';
import { ApiError } from '../shared/api';
import { onLanguageChange, t, type MessageKey } from '../shared/i18n';
import {
  aadhaarProblem, addressChoice, identifierProblem, otpLooksRight, slowAfterMs, statusLines, verifyRequest,
  type AbhaJourney, type AbhaStatus, type AddressSuggestions, type OtpVia,
} from './abha-model';

/**
 * The patient's ABHA section: what is linked (verified through ABDM, or only declared), verifying an ABHA they hold by an
 * OTP, creating one from their Aadhaar and choosing its address, and the card once linked. ABDM can be slow: a request
 * still waiting after a moment says so, and a refusal or silence is said where the patient is looking. Registration
 * shows this same section as its last step.
 */
let status: AbhaStatus | undefined;
let journey: AbhaJourney | undefined;
let creating = false;
let cardFor: string | undefined;
const linkedListeners: (() => void)[] = [];

type AbhaForm = 'abha-verify-form' | 'abha-create-form' | 'abha-otp-form' | 'abha-address-form';

onLanguageChange(render);

export async function loadAbha() {
  status = await api.get<AbhaStatus>('/api/me/abha');
  render();
}

/** Opens verifying or creating an ABHA (the registration step's buttons). */
export function startAbha(action: 'verify' | 'create') {
  open(action === 'verify' ? 'abha-verify-form' : 'abha-create-form');
}

/** Called once an ABHA is linked and, for a new one, its address settled. */
export function onAbhaLinked(listener: () => void) {
  linkedListeners.push(listener);
}

function render() {
  if (!status) return;
  $('abha-status').replaceChildren(...statusLines(status).map(line => Object.assign(document.createElement('p'), { textContent: t(line.key, line.params) })));
  const busy = !!journey || !$('abha-address-form').hidden;
  $('abha-actions').hidden = !status.abdmAvailable || busy;
  $('abha-verify-open').hidden = !!status.verified;
  $('abha-create-open').hidden = !!status.verified;
  $('abha-card').hidden = !cardFor || busy;
  if (journey) {
    $('abha-otp-sent').textContent = journey.sentTo;
    $('abha-otp-label').textContent = t(journey.step === 'mobileOtp' ? 'abha.mobileOtp' : 'abha.otp');
  }
}

function open(form: AbhaForm | undefined) {
  for (const id of ['abha-verify-form', 'abha-create-form', 'abha-otp-form', 'abha-address-form'] as const) $(id).hidden = id !== form;
  say();
  render();
  if (form) $(form).querySelector<HTMLInputElement>('input')?.focus();
}

/** A line about what is happening (progress, role=status) or what went wrong (role=alert). */
function say(progress?: MessageKey, problem?: string, params?: Record<string, string>) {
  $('abha-progress').textContent = progress ? t(progress, params) : '';
  $('abha-problem').textContent = problem ?? '';
}

/** ABDM's silence (503: the server retried and gave up) in the page's language; any other refusal in the server's words. */
function problemOf(error: unknown): string {
  if (error instanceof ApiError && error.status === 503 && status?.abdmAvailable !== false) return t('abha.problem.unavailable');
  return error instanceof Error ? error.message : String(error);
}

/** Calls the API, saying after a moment that ABDM is being waited for, and showing a refusal next to the form. */
async function withAbdm(submit: HTMLButtonElement, call: () => Promise<void>) {
  submit.disabled = true;
  say('abha.progress.sending');
  const slow = setTimeout(() => say('abha.progress.waiting'), slowAfterMs);
  try {
    await call();
  } catch (error) {
    say(undefined, problemOf(error));
  } finally {
    clearTimeout(slow);
    submit.disabled = false;
    // The waiting is over; an outcome the call said (linked) stays.
    const progress = $('abha-progress');
    if ([t('abha.progress.sending'), t('abha.progress.waiting')].includes(progress.textContent ?? '')) progress.textContent = '';
  }
}

function linked() {
  for (const listener of linkedListeners) listener();
}

$('abha-verify-open').addEventListener('click', () => open('abha-verify-form'));
$('abha-create-open').addEventListener('click', () => open('abha-create-form'));
for (const id of ['abha-verify-cancel', 'abha-create-cancel', 'abha-otp-cancel']) {
  $(id).addEventListener('click', () => {
    journey = undefined;
    open(undefined);
    $('abha-heading').focus();
  });
}

$('abha-verify-form').addEventListener('submit', event => {
  event.preventDefault();
  const identifier = $<HTMLInputElement>('abha-id').value;
  const problem = identifierProblem(identifier);
  if (problem) return say(undefined, t(problem));
  const via = ($<HTMLFormElement>('abha-verify-form').elements.namedItem('abha-via') as RadioNodeList).value as OtpVia;
  void withAbdm($<HTMLButtonElement>('abha-verify-send'), async () => {
    journey = await api.post<AbhaJourney>('/api/me/abha/verify', verifyRequest(identifier, via));
    creating = false;
    open('abha-otp-form');
  });
});

$('abha-create-form').addEventListener('submit', event => {
  event.preventDefault();
  const aadhaar = $<HTMLInputElement>('abha-aadhaar').value;
  const problem = aadhaarProblem(aadhaar) ?? ($<HTMLInputElement>('abha-consent').checked ? undefined : 'abha.problem.consent');
  if (problem) return say(undefined, t(problem));
  void withAbdm($<HTMLButtonElement>('abha-create-send'), async () => {
    journey = await api.post<AbhaJourney>('/api/me/abha/create', { aadhaar, consent: true });
    creating = true;
    // The Aadhaar number is not kept on the page once sent.
    $<HTMLInputElement>('abha-aadhaar').value = '';
    open('abha-otp-form');
  });
});

$('abha-otp-form').addEventListener('submit', event => {
  event.preventDefault();
  const otp = $<HTMLInputElement>('abha-otp').value.trim();
  if (!otpLooksRight(otp)) return say(undefined, t('abha.problem.otpShape'));
  const current = journey;
  if (!current) return;
  void withAbdm($<HTMLButtonElement>('abha-otp-submit'), async () => {
    const path = `/api/me/abha/journeys/${current.id}/${current.step === 'mobileOtp' ? 'mobile-otp' : 'otp'}`;
    const next = await api.post<AbhaJourney>(path, { otp });
    $<HTMLInputElement>('abha-otp').value = '';
    if (next.abha) status = next.abha;
    if (next.step === 'mobileOtp') {
      journey = next;
      render();
      $('abha-otp').focus();
      return;
    }
    journey = undefined;
    cardFor = next.id;
    if (creating) return await offerAddresses(next.id);
    open(undefined);
    say('abha.progress.linked');
    $('abha-heading').focus();
    linked();
  });
});

/** A new ABHA: ABDM's suggested addresses to pick from, or one the patient types. */
async function offerAddresses(journeyId: string) {
  const offered = await api.get<AddressSuggestions>(`/api/me/abha/journeys/${journeyId}/addresses`);
  $('abha-address-suggestions').replaceChildren(...offered.addresses.map((address, index) => {
    const label = document.createElement('label');
    const radio = Object.assign(document.createElement('input'), { type: 'radio', name: 'abha-address', value: address, checked: index === 0 });
    label.append(radio, ` ${address}`);
    return label;
  }));
  $('abha-address-suggested').hidden = offered.addresses.length === 0;
  $<HTMLInputElement>('abha-address-own').value = '';
  open('abha-address-form');
  say('abha.progress.linked');
}

$('abha-address-form').addEventListener('submit', event => {
  event.preventDefault();
  const picked = document.querySelector<HTMLInputElement>('input[name="abha-address"]:checked')?.value;
  const choice = addressChoice($<HTMLInputElement>('abha-address-own').value, picked);
  if ('problem' in choice) return say(undefined, t(choice.problem));
  const journeyId = cardFor;
  if (!journeyId) return;
  void withAbdm($<HTMLButtonElement>('abha-address-submit'), async () => {
    const next = await api.post<AbhaJourney>(`/api/me/abha/journeys/${journeyId}/address`, { address: choice.address });
    if (next.abha) status = next.abha;
    open(undefined);
    say('abha.address.chosen', undefined, { address: status?.verified?.address ?? choice.address });
    $('abha-heading').focus();
    linked();
  });
});

$('abha-address-keep').addEventListener('click', () => {
  open(undefined);
  say('abha.progress.linked');
  $('abha-heading').focus();
  linked();
});

$('abha-card').addEventListener('click', () => {
  if (!cardFor) return;
  const journeyId = cardFor;
  void withAbdm($<HTMLButtonElement>('abha-card'), () => api.download(`/api/me/abha/journeys/${journeyId}/card`, 'abha-card.png'));
});
