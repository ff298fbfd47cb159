import { $, api, hub } from '../app';
import { formatTime, t } from '../i18n';
import { BluetoothVitalsReader, bluetoothOf, type ReadingEvent } from './bluetooth';
import type { DeviceReadingView } from './device-lines';
import { readingValues } from './device-lines';

let consultationId: string | undefined;
/** Hub connections already told to show pushed readings (a connection replaced after it gave up is a new one). */
const listening = new WeakSet<object>();
const reader = new BluetoothVitalsReader(bluetoothOf(navigator), request =>
  api.send<DeviceReadingView>('POST', `/api/consultations/${consultationId}/device-readings`, request));

/**
 * The call screen's device readings: every reading recorded on the consultation, live as the hub pushes it (the doctor
 * sees the patient's cuff reading the moment it is recorded), and, where the browser has Web Bluetooth, a button to
 * connect a medical device here.
 */
export async function showDeviceReadings(id: string): Promise<void> {
  consultationId = id;
  const connection = hub('consultation');
  if (!listening.has(connection)) {
    connection.on('DeviceReading', show);
    listening.add(connection);
  }
  $('device-readings').replaceChildren();
  $('device-status').textContent = reader.available ? '' : t('devices.unavailable');
  $<HTMLButtonElement>('device-connect').hidden = !reader.available;
  const recorded = await api.get<DeviceReadingView[]>(`/api/consultations/${id}/device-readings`);
  recorded.forEach(show);
}

function show(reading: DeviceReadingView): void {
  if (reading.consultationId !== consultationId) return;
  const list = $('device-readings');
  if (list.querySelector(`li[data-reading="${CSS.escape(reading.readingId)}"]`)) return;
  const item = document.createElement('li');
  item.dataset.reading = reading.readingId;
  const values = readingValues(reading).map(value => t(value.key, value.params)).join(' · ');
  item.textContent = t('devices.line', { values, device: reading.device, time: formatTime(new Date(reading.measuredAt ?? reading.at)) });
  list.append(item);
}

function progress(event: ReadingEvent): void {
  if ('error' in event) {
    $('device-status').textContent = t('devices.refused', { device: event.deviceName, reason: event.error });
    return;
  }
  $('device-status').textContent = t('devices.sending', { device: event.deviceName });
  event.recorded.then(
    recorded => { $('device-status').textContent = ''; show(recorded as DeviceReadingView); },
    (error: Error) => { $('device-status').textContent = t('devices.refused', { device: event.deviceName, reason: error.message }); });
}

$('device-connect').addEventListener('click', () => {
  $('device-status').textContent = t('devices.connecting');
  reader.connect(progress).then(
    device => { $('device-status').textContent = t('devices.connected', { device }); },
    (error: Error) => { $('device-status').textContent = error.name === 'NotFoundError' ? t('devices.noneChosen') : error.message; });
});
