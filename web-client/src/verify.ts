import { Api } from './api';
import { prescriptionIdFrom } from './pharmacy';

interface PublicVerification {
  verdict: string;
  explanation: string;
  issuedOn: string;
  validUntil: string;
  doctor: { name: string; qualification: string; registrationNumber: string; stateCouncil: string; hprId: string };
  facility: string;
  patientInitials: string;
  patientAge: number;
}

const $ = (id: string) => document.getElementById(id)!;

async function verify() {
  const id = prescriptionIdFrom(location.pathname);
  if (!id) throw new Error('This link does not name a prescription.');
  const result = await new Api().get<PublicVerification>(`/api/verify/${id}`);
  $('verdict').textContent = result.verdict === 'valid' ? 'Genuine prescription' : result.verdict === 'invalidSignature' ? 'Not genuine' : 'Genuine, but not dispensable';
  $('verdict').dataset.verdict = result.verdict;
  $('explanation').textContent = result.explanation;
  $('doctor').textContent = `${result.doctor.name}, ${result.doctor.qualification}`;
  $('registration').textContent = `${result.doctor.registrationNumber} (${result.doctor.stateCouncil}) · HPR ${result.doctor.hprId}`;
  $('facility').textContent = result.facility;
  $('issued').textContent = result.issuedOn;
  $('valid-until').textContent = result.validUntil;
  $('patient').textContent = `${result.patientInitials}, ${result.patientAge} years`;
  $('facts').hidden = false;
}

verify().catch((error: Error) => {
  $('verdict').textContent = 'Could not check this prescription';
  $('error').textContent = error.message;
});
