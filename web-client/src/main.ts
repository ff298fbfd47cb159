import { $, api, connectHubs, failSafely, leaveSession, renderSignedIn, resumeWhenOnline, show, storageKeys } from './shared/app';
import { refreshCookie, type RefreshCookie, type Tokens } from './shared/api';
import { startPasswordChange } from './shared/change-password';
import { isChallenge, secondStep, startMfa, type MfaChallenge } from './shared/mfa';
import { startI18n, t } from './shared/i18n';
import { registerServiceWorker, serverReach } from './shared/offline';
import { startPatientSignIn } from './patient/onboarding';
import { guestToken } from './shared/call/guest-link';

interface GuestAdmission { guestId: string; consultationId: string; name: string; accessToken: string }

// Each role's pages are chunks of their own, fetched after sign-in: a patient never downloads a doctor's code.
await startI18n();
// After the language is in, so that its messages are among what the worker keeps from this first load.
void registerServiceWorker();
startPasswordChange();
startMfa();
let dashboard: import('./shared/analytics').Dashboard | undefined;

async function signedIn(tokens: Tokens) {
  api.tokens = tokens;
  sessionStorage.setItem(storageKeys.signIn, refreshCookie(tokens));
  $('signin-status').textContent = '';
  renderSignedIn();
  if (tokens.role === 'pharmacist') {
    const { pharmacyHome } = await import('./pharmacy/pharmacy-home');
    return pharmacyHome();
  }
  if (tokens.role === 'health-worker') {
    const [{ healthWorkerHome }] = await Promise.all([import('./health-worker/health-worker'), connectHubs(['consultation'])]);
    return healthWorkerHome();
  }
  if (tokens.role === 'admin') {
    const { adminHome } = await import('./admin/admin');
    return adminHome();
  }
  if (tokens.role === 'health-officer') {
    const [{ Dashboard }] = await Promise.all([import('./shared/analytics'), import('./shared/analytics-page')]);
    show('analytics');
    // One dashboard for the tab: its charts hold the canvases until destroyed (signing in again after a password change).
    dashboard ??= new Dashboard(api, $);
    return dashboard.open();
  }
  // Patients and doctors: the live queue, and consultation rooms (a doctor is also invited into other doctors' rooms).
  const [role] = await Promise.all([
    tokens.role === 'patient' ? import('./patient/patient').then(module => module.patientHome) : import('./doctor/doctor').then(module => module.doctorHome),
    connectHubs(['queue', 'consultation']),
  ]);
  await role();
}

$('staff-form').addEventListener('submit', event => {
  event.preventDefault();
  void failSafely(async () => {
    const answer = await api.post<Tokens | MfaChallenge>('/api/auth/sign-in', { email: $<HTMLInputElement>('email').value, password: $<HTMLInputElement>('password').value });
    return isChallenge(answer) ? secondStep(answer, signedIn) : signedIn(answer);
  });
});
startPatientSignIn(signedIn);
// The sign-in buttons wait in the page, disabled, until their forms are wired: a tap on a slow link before then would
// submit the form natively, a GET that puts the email and password (or the mobile and its code) in the address, and a
// tap on "Send code" or a language before then would do nothing at all.
for (const id of ['staff-signin', 'patient-signin', 'send-code']) $<HTMLButtonElement>(id).disabled = false;
$<HTMLFieldSetElement>('patient-language').disabled = false;

// A reload keeps the session: this tab's storage names the refresh cookie it was signed in with (never a token), and a
// fresh access token comes from that HttpOnly cookie. The patient lands back in the waiting room or the call.
// Reloaded without a connection, the page shows its shell and starts once the connection is back.
const resuming = sessionStorage.getItem(storageKeys.signIn) as RefreshCookie | null;
// A guest's link opens the one call it was made for: no sign-in, no account. Its secret leaves the address at once.
const guest = guestToken(location.hash);
if (guest) {
  history.replaceState(null, '', location.pathname);
  void failSafely(async () => {
    show('call');
    $('call-status').textContent = t('guest.joining');
    const admission = await api.post<GuestAdmission>('/api/guests/admit', { token: guest });
    api.tokens = { accountId: admission.guestId, role: 'guest', accessToken: admission.accessToken };
    renderSignedIn();
    const [{ joinCall }] = await Promise.all([import('./shared/call/call-view'), connectHubs(['consultation'])]);
    await joinCall(admission.consultationId, 'guest');
  });
} else if (resuming) {
  void failSafely(async () => {
    try {
      const tokens = await api.resume(resuming);
      if (!tokens) {
        leaveSession();
        $('error').textContent = t('session.expired');
        return;
      }
      await signedIn(tokens);
    } catch (failure) {
      if (serverReach.state === 'offline') resumeWhenOnline();
      throw failure;
    }
  });
}
