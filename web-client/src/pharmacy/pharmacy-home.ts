import './pharmacy-page';
import { $, api, failSafely, show } from '../shared/app';
import { serverReach } from '../shared/offline';
import { Pharmacy } from './pharmacy';

/**
 * The pharmacist's home: a prescription to check (typed, scanned from a photo or the camera) and dispense, the spoke's
 * prescriptions, the stock with its low-stock thresholds, and what was dispensed.
 */
export async function pharmacyHome() {
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
  $('rx-receive').addEventListener('submit', event => {
    event.preventDefault();
    void failSafely(() => pharmacy.receive());
  });
  $('rx-threshold').addEventListener('submit', event => {
    event.preventDefault();
    void failSafely(() => pharmacy.setThreshold());
  });
  // The keys and revocation list for checking codes offline: fetched now and whenever the server answers again.
  await pharmacy.keepVerificationKeys();
  serverReach.onChange(reach => {
    if (reach === 'online') void pharmacy.keepVerificationKeys();
  });
  // Only a facility's own pharmacy has stock and its spoke's prescriptions: the panels stay hidden for any other.
  let facilityOwn = false;
  await failSafely(async () => { ({ facilityOwn } = await api.get<{ facilityOwn: boolean }>('/api/pharmacy')); });
  if (facilityOwn) {
    await failSafely(() => pharmacy.spokePrescriptions());
    await failSafely(() => pharmacy.stock());
  }
  return failSafely(() => pharmacy.history());
}
