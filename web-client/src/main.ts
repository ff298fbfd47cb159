import { $, api, connectHub, failSafely, show, storageKeys } from './shared/app';
import type { Tokens } from './shared/api';
import { doctorHome } from './doctor/doctor';
import { onLanguageChange, startI18n, t } from './shared/i18n';
import { startPatientSignIn } from './patient/onboarding';
import { patientHome } from './patient/patient';
import { Pharmacy } from './pharmacy/pharmacy';

let role: Tokens['role'] | undefined;

startI18n();
onLanguageChange(renderRole);

async function signedIn(tokens: Tokens) {
  api.tokens = tokens;
  sessionStorage.setItem(storageKeys.tokens, JSON.stringify(tokens));
  role = tokens.role;
  renderRole();
  if (tokens.role === 'pharmacist') return pharmacyHome();
  if (tokens.role === 'admin') {
    const { adminHome } = await import('./admin/admin');
    return adminHome();
  }
  if (tokens.role === 'health-officer') {
    show('analytics');
    const { Dashboard } = await import('./shared/analytics');
    return new Dashboard(api, $).open();
  }
  await connectHub();
  if (tokens.role === 'patient') await patientHome();
  else await doctorHome();
}

function renderRole() {
  $('who').textContent = role ? t(`role.${role}`) : '';
}

$('staff-form').addEventListener('submit', event => {
  event.preventDefault();
  void failSafely(async () => signedIn(await api.post<Tokens>('/api/auth/sign-in', { email: $<HTMLInputElement>('email').value, password: $<HTMLInputElement>('password').value })));
});
startPatientSignIn(signedIn);

function pharmacyHome() {
  show('pharmacy');
  const pharmacy = new Pharmacy(api, $);
  $('rx-form').addEventListener('submit', event => {
    event.preventDefault();
    void failSafely(() => pharmacy.check($<HTMLInputElement>('rx-id').value));
  });
  $<HTMLInputElement>('rx-qr').addEventListener('change', event => {
    const file = (event.target as HTMLInputElement).files?.[0];
    if (file) void failSafely(() => pharmacy.scan(file));
  });
  $('rx-dispense').addEventListener('click', () => void failSafely(() => pharmacy.dispense()));
  $('rx-camera').addEventListener('click', () => void failSafely(() => pharmacy.scanWithCamera()));
  $('rx-scan-stop').addEventListener('click', () => pharmacy.stopCamera());
  return failSafely(() => pharmacy.history());
}

// A reload keeps the session (tab-scoped storage): the patient lands back in the waiting room or the call.
const saved = sessionStorage.getItem(storageKeys.tokens);
if (saved) void failSafely(() => signedIn(JSON.parse(saved) as Tokens));
