import { Api } from '../shared/api';
import { formatDate, onLanguageChange, startI18n, t, type MessageKey } from '../shared/i18n';
import { registerServiceWorker, serverReach } from '../shared/offline';
import { prescriptionIdFrom } from './pharmacy';

interface PublicVerification {
  verdict: 'valid' | 'invalidSignature' | 'revoked' | 'expired' | 'fullyDispensed';
  issuedOn: string;
  validUntil: string;
  doctor: { name: string; qualification: string; registrationNumber: string; stateCouncil: string; hprId: string };
  facility: string;
  patientInitials: string;
  patientAge: number;
}

const $ = (id: string) => document.getElementById(id)!;
// What the page shows, kept so a language switch can render it again.
let result: PublicVerification | undefined;
let heading: MessageKey = 'verify.checking';

function render() {
  $('verdict').textContent = t(heading);
  if (!result) return;
  $('verdict').dataset.verdict = result.verdict;
  $('explanation').textContent = t(`verdict.${result.verdict}`);
  $('doctor').textContent = `${result.doctor.name}, ${result.doctor.qualification}`;
  $('registration').textContent = `${result.doctor.registrationNumber} (${result.doctor.stateCouncil}) · HPR ${result.doctor.hprId}`;
  $('facility').textContent = result.facility;
  $('issued').textContent = formatDate(result.issuedOn);
  $('valid-until').textContent = formatDate(result.validUntil);
  $('patient').textContent = t('verify.patientAge', { initials: result.patientInitials, age: result.patientAge });
  $('facts').hidden = false;
}

async function verify() {
  const id = prescriptionIdFrom(location.pathname);
  if (!id) throw new Error(t('verify.noId'));
  result = await new Api().get<PublicVerification>(`/api/verify/${id}`);
  heading = result.verdict === 'valid' ? 'verify.genuine' : result.verdict === 'invalidSignature' ? 'verify.notGenuine' : 'verify.notDispensable';
  render();
}

/** The page comes from the service worker's cache when offline; the check itself needs the server. */
function renderConnection() {
  const offline = serverReach.state === 'offline';
  $('connection-banner').hidden = !offline;
  $('connection-text').textContent = offline ? t('connection.offline') : '';
}

async function check() {
  heading = 'verify.checking';
  $('error').textContent = '';
  render();
  try {
    await verify();
  } catch (error) {
    heading = 'verify.failed';
    render();
    $('error').textContent = (error as Error).message;
  }
}

await startI18n();
onLanguageChange(render);
onLanguageChange(renderConnection);
renderConnection();
// A check that found no connection is made again once the server answers.
serverReach.onChange(reach => {
  renderConnection();
  if (reach === 'online' && !result) void check();
});
void registerServiceWorker();
void check();
