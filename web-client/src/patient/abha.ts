import { $, api } from '../shared/app';
import { ApiError } from '../shared/api';
import { onLanguageChange, t, type MessageKey } from '../shared/i18n';
import {
  aadhaarProblem, identifierProblem, otpLooksRight, slowAfterMs, statusLines, verifyRequest, type AbhaJourney, type AbhaStatus, type OtpVia,
} from './abha-model';

/**
 * The patient's ABHA section: what is linked (verified through ABDM, or only declared), verifying an ABHA they hold by an
 * OTP, creating one from their Aadhaar, and the card once linked. ABDM can be slow: a request still waiting after a
 * moment says so, and a refusal or silence is said where the patient is looking.
 */
let status: AbhaStatus | undefined;
let journey: AbhaJourney | undefined;
let cardFor: string | undefined;

onLanguageChange(render);

export async function loadAbha() {
  status = await api.get<AbhaStatus>('/api/me/abha');
  render();
}

function render() {
  if (!status) return;
  $('abha-status').replaceChildren(...statusLines(status).map(line => Object.assign(document.createElement('p'), { textContent: t(line.key, line.params) })));
  $('abha-actions').hidden = !status.abdmAvailable || !!journey;
  $('abha-verify-open').hidden = !!status.verified;
  $('abha-create-open').hidden = !!status.verified;
  $('abha-card').hidden = !cardFor;
  if (journey) {
    $('abha-otp-sent').textContent = journey.sentTo;
    $('abha-otp-label').textContent = t(journey.step === 'mobileOtp' ? 'abha.mobileOtp' : 'abha.otp');
  }
}

function open(form: 'abha-verify-form' | 'abha-create-form' | 'abha-otp-form' | undefined) {
  for (const id of ['abha-verify-form', 'abha-create-form', 'abha-otp-form'] as const) $(id).hidden = id !== form;
  say();
  render();
  if (form) $(form).querySelector<HTMLInputElement>('input')?.focus();
}

/** A line about what is happening (progress, role=status) or what went wrong (role=alert). */
function say(progress?: MessageKey, problem?: string) {
  $('abha-progress').textContent = progress ? t(progress) : '';
  $('abha-problem').textContent = problem ?? '';
}

/** Calls the API, saying after a moment that ABDM is being waited for, and showing a refusal next to the form. */
async function withAbdm(submit: HTMLButtonElement, call: () => Promise<void>) {
  submit.disabled = true;
  say('abha.progress.sending');
  const slow = setTimeout(() => say('abha.progress.waiting'), slowAfterMs);
  try {
    await call();
  } catch (error) {
    say(undefined, error instanceof ApiError || error instanceof Error ? error.message : String(error));
  } finally {
    clearTimeout(slow);
    submit.disabled = false;
    // The waiting is over; an outcome the call said (linked) stays.
    const progress = $('abha-progress');
    if ([t('abha.progress.sending'), t('abha.progress.waiting')].includes(progress.textContent ?? '')) progress.textContent = '';
  }
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
    open(undefined);
    say('abha.progress.linked');
    $('abha-heading').focus();
  });
});

$('abha-card').addEventListener('click', () => {
  if (!cardFor) return;
  const journeyId = cardFor;
  void withAbdm($<HTMLButtonElement>('abha-card'), () => api.download(`/api/me/abha/journeys/${journeyId}/card`, 'abha-card.png'));
});
