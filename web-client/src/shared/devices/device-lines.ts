import type { MessageKey } from '../i18n';

/** A device reading recorded on the consultation, as the hub pushes it and GET …/device-readings lists it (DeviceReadingView). */
export interface DeviceReadingView {
  consultationId: string;
  readingId: string;
  deviceId?: string | null;
  device: string;
  characteristic?: string | null;
  vitals?: {
    systolicMmHg?: number | null; diastolicMmHg?: number | null; pulsePerMinute?: number | null;
    temperatureCelsius?: number | null; spO2Percent?: number | null; weightKg?: number | null;
  } | null;
  glucoseMgPerDl?: number | null;
  measuredAt?: string | null;
  status: string[];
  at: string;
}

/** The values of a reading as message keys with their parameters, in the order the record lists vitals. */
export function readingValues(reading: DeviceReadingView): { key: MessageKey; params: Record<string, string | number> }[] {
  const v = reading.vitals ?? {};
  const values: { key: MessageKey; params: Record<string, string | number> }[] = [];
  if (v.systolicMmHg != null && v.diastolicMmHg != null) values.push({ key: 'devices.bloodPressure', params: { systolic: v.systolicMmHg, diastolic: v.diastolicMmHg } });
  if (v.pulsePerMinute != null) values.push({ key: 'devices.pulse', params: { value: v.pulsePerMinute } });
  if (v.temperatureCelsius != null) values.push({ key: 'devices.temperature', params: { value: v.temperatureCelsius } });
  if (v.spO2Percent != null) values.push({ key: 'devices.spO2', params: { value: v.spO2Percent } });
  if (v.weightKg != null) values.push({ key: 'devices.weight', params: { value: v.weightKg } });
  if (reading.glucoseMgPerDl != null) values.push({ key: 'devices.glucose', params: { value: reading.glucoseMgPerDl } });
  return values;
}
