import { $, api, failSafely } from './app';
import type { Tokens } from './api';
import { onLanguageChange, t } from './i18n';

/**
 * Two-step sign-in for staff (an authenticator app's codes, TOTP): the code asked after the password, enrolment (in
 * the header's dialog, or at sign-in for an administrator who has none yet: administrators get no session without it),
 * the recovery codes shown once and renewed, and turning it off (not for administrators).
 */

/** What a right password answers when a second step follows, instead of tokens. */
export interface MfaChallenge { challenge: string; step: 'code' | 'enrol'; expiresAt: string }
interface Enrolment { secret: string; otpauthUri: string; qrCode: string }
interface Status { enabled: boolean; required: boolean; pending: boolean; recoveryCodesLeft: number }
type SignedIn = (tokens: Tokens) => Promise<void>;

export const isChallenge = (answer: Tokens | MfaChallenge): answer is MfaChallenge => 'challenge' in answer;

let codeStep: { challenge: MfaChallenge; done: SignedIn } | undefined;
/** An administrator enrolling at sign-in: the session comes with the confirmation and opens when the dialog closes. */
let enrolStep: { challenge: MfaChallenge; done: SignedIn; tokens?: Tokens } | undefined;
// What the dialog says now, kept so a language switch can say it again.
let said: () => string = () => '';

const dialog = () => $<HTMLDialogElement>('mfa-dialog');
const value = (id: string) => $<HTMLInputElement>(id).value.trim();

function say(text: () => string) {
  said = text;
  $('mfa-status').textContent = text();
}

type Part = 'mfa-start' | 'mfa-setup' | 'mfa-recovery' | 'mfa-off' | 'mfa-renew';

function showOnly(...parts: Part[]) {
  for (const id of ['mfa-start', 'mfa-setup', 'mfa-recovery', 'mfa-off', 'mfa-renew'] satisfies Part[]) $(id).hidden = !parts.includes(id);
}

/** Runs a step of the dialog, its refusal (problem details) shown in the dialog. */
async function inDialog(action: () => Promise<void>) {
  $('mfa-failed').textContent = '';
  try {
    await action();
  } catch (error) {
    $('mfa-failed').textContent = (error as Error).message;
  }
}

/** The password was right and a second step follows: the app's code, or (an administrator without one) enrolment. */
export async function secondStep(challenge: MfaChallenge, done: SignedIn) {
  if (challenge.step === 'code') {
    codeStep = { challenge, done };
    $('staff-form').hidden = true;
    $('mfa-form').hidden = false;
    $<HTMLInputElement>('mfa-code').value = '';
    $('mfa-code').focus();
    return;
  }
  enrolStep = { challenge, done };
  const enrolment = await api.post<Enrolment>('/api/auth/mfa/enrolment', { challenge: challenge.challenge });
  open(() => t('mfa.required'));
  showSetup(enrolment);
}

function backToPassword() {
  codeStep = undefined;
  $('mfa-form').hidden = true;
  $('staff-form').hidden = false;
}

function open(status: () => string) {
  $('mfa-failed').textContent = '';
  say(status);
  showOnly();
  if (!dialog().open) dialog().showModal();
}

function showSetup(enrolment: Enrolment) {
  showOnly('mfa-setup');
  const qr = $<HTMLImageElement>('mfa-qr');
  qr.src = enrolment.qrCode;
  qr.alt = t('mfa.qr');
  $('mfa-secret').textContent = enrolment.secret;
  $('mfa-uri').textContent = enrolment.otpauthUri;
  $<HTMLInputElement>('mfa-setup-code').value = '';
  $('mfa-setup-code').focus();
}

function showRecovery(codes: string[]) {
  say(() => '');
  showOnly('mfa-recovery');
  $('mfa-recovery-codes').replaceChildren(...codes.map(code => Object.assign(document.createElement('li'), { textContent: code })));
  $('mfa-close').focus();
}

async function showStatus() {
  const status = await api.get<Status>('/api/me/mfa');
  say(status.enabled
    ? () => `${t('mfa.on', { left: status.recoveryCodesLeft })}${status.required ? ` ${t('mfa.adminKeeps')}` : ''}`
    : () => t('mfa.off'));
  if (!status.enabled) return showOnly('mfa-start');
  // Administrators keep it on; everyone with it on can take new recovery codes (few left, or seen by someone).
  showOnly(...(status.required ? [] : ['mfa-off'] as const), 'mfa-renew');
}

async function confirm() {
  const code = value('mfa-setup-code');
  if (!code) throw new Error(t('mfa.codeMissing'));
  if (enrolStep) {
    const enrolled = await api.post<{ recoveryCodes: string[]; tokens: Tokens }>('/api/auth/mfa/enrolment/confirm', { challenge: enrolStep.challenge.challenge, code });
    enrolStep.tokens = enrolled.tokens;
    return showRecovery(enrolled.recoveryCodes);
  }
  showRecovery((await api.post<{ recoveryCodes: string[] }>('/api/me/mfa/enrolment/confirm', { code })).recoveryCodes);
}

async function turnOff() {
  const code = value('mfa-off-code');
  if (!code) throw new Error(t('mfa.codeMissing'));
  await api.post('/api/me/mfa/disable', { code });
  $<HTMLInputElement>('mfa-off-code').value = '';
  await showStatus();
  say(() => t('mfa.turnedOff'));
}

/** New recovery codes for a current code: shown once, and the ones before stop working. */
async function renew() {
  const code = value('mfa-renew-code');
  if (!code) throw new Error(t('mfa.codeMissing'));
  const renewed = await api.post<{ recoveryCodes: string[] }>('/api/me/mfa/recovery-codes', { code });
  $<HTMLInputElement>('mfa-renew-code').value = '';
  showRecovery(renewed.recoveryCodes);
  say(() => t('mfa.renewed'));
}

export function startMfa() {
  $('mfa-form').addEventListener('submit', event => {
    event.preventDefault();
    void failSafely(async () => {
      const code = value('mfa-code');
      if (!code) throw new Error(t('mfa.codeMissing'));
      const step = codeStep!;
      const tokens = await api.post<Tokens>('/api/auth/mfa/verify', { challenge: step.challenge.challenge, code });
      backToPassword();
      await step.done(tokens);
    });
  });
  $('mfa-back').addEventListener('click', () => {
    backToPassword();
    $('password').focus();
  });
  $('mfa-manage').addEventListener('click', () => {
    open(() => '');
    void inDialog(showStatus);
  });
  $('mfa-start').addEventListener('click', () => void inDialog(async () => showSetup(await api.post<Enrolment>('/api/me/mfa/enrolment'))));
  $('mfa-setup').addEventListener('submit', event => {
    event.preventDefault();
    void inDialog(confirm);
  });
  $('mfa-off').addEventListener('submit', event => {
    event.preventDefault();
    void inDialog(turnOff);
  });
  $('mfa-renew').addEventListener('submit', event => {
    event.preventDefault();
    void inDialog(renew);
  });
  $('mfa-close').addEventListener('click', () => dialog().close());
  dialog().addEventListener('close', () => {
    $('mfa-recovery-codes').replaceChildren();
    $('mfa-secret').textContent = '';
    $('mfa-uri').textContent = '';
    $<HTMLImageElement>('mfa-qr').removeAttribute('src');
    const step = enrolStep;
    enrolStep = undefined;
    if (step?.tokens) void failSafely(() => step.done(step.tokens!));
    else if (api.tokens) $('mfa-manage').focus();
  });
  onLanguageChange(() => {
    $('mfa-status').textContent = said();
    $<HTMLImageElement>('mfa-qr').alt = t('mfa.qr');
  });
}
