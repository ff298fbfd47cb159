/**
 * The health-device characteristics of the Bluetooth SIG GATT specifications, decoded in the browser to show a
 * reading the moment it arrives. It mirrors the server's parsers (Telemed.Domain.Devices.GattParsers), which decide
 * what is recorded: the raw value goes to the server as read. Canonical units: mm[Hg], /min, %, Cel, kg, m, kg/m2,
 * mg/dL. IEEE 11073 special values are missing readings, never numbers.
 */

export const Characteristic = {
  glucoseMeasurement: 0x2a18,
  temperatureMeasurement: 0x2a1c,
  bloodPressureMeasurement: 0x2a35,
  plxSpotCheckMeasurement: 0x2a5e,
  plxContinuousMeasurement: 0x2a5f,
  weightMeasurement: 0x2a9d,
} as const;

export type CharacteristicUuid = (typeof Characteristic)[keyof typeof Characteristic];

export type VitalSign =
  | 'systolic' | 'diastolic' | 'meanArterialPressure' | 'pulseRate' | 'spO2' | 'spO2Fast' | 'pulseRateFast' | 'spO2Slow'
  | 'pulseRateSlow' | 'pulseAmplitudeIndex' | 'bodyTemperature' | 'bodyWeight' | 'bodyHeight' | 'bodyMassIndex' | 'glucose';

export interface DeviceQuantity { sign: VitalSign; value: number; ucum: string }
export interface NoReading { sign: VitalSign; reason: string }

export interface DeviceReading {
  characteristic: CharacteristicUuid;
  quantities: DeviceQuantity[];
  missing: NoReading[];
  /** The device clock's time, "YYYY-MM-DDTHH:mm:ss" with no zone (the device does not say one); null when unknown. */
  deviceTime: string | null;
  status: string[];
  bodySite?: string;
  specimen?: string;
  userId?: number;
  sequenceNumber?: number;
}

export type Parsed = { ok: true; reading: DeviceReading } | { ok: false; error: string };

export const mmHgPerKilopascal = 7.50061683;
export const kilogramsPerPound = 0.45359237;
export const metresPerInch = 0.0254;
/** mg/dL in one mmol/L of glucose (molar mass 180.156 g/mol). */
export const glucoseMgPerDlPerMmolPerL = 18.0156;

export const characteristicNames: Record<CharacteristicUuid, string> = {
  [Characteristic.bloodPressureMeasurement]: 'Blood Pressure Measurement',
  [Characteristic.plxSpotCheckMeasurement]: 'PLX Spot-check Measurement',
  [Characteristic.plxContinuousMeasurement]: 'PLX Continuous Measurement',
  [Characteristic.temperatureMeasurement]: 'Temperature Measurement',
  [Characteristic.weightMeasurement]: 'Weight Measurement',
  [Characteristic.glucoseMeasurement]: 'Glucose Measurement',
};

const specialSFloat: Record<number, string> = { 0x07ff: 'NaN', 0x0800: 'NRes', 0x07fe: '+INFINITY', 0x0802: '-INFINITY', 0x0801: 'reserved' };
const specialFloat: Record<number, string> = {
  0x007fffff: 'NaN', 0x00800000: 'NRes', 0x007ffffe: '+INFINITY', 0x00800002: '-INFINITY', 0x00800001: 'reserved',
};

/** A decoded IEEE 11073 number: a value, or the name of the special value the device sent instead. */
export type MedicalFloat = { value: number } | { special: string };

const signExtend = (value: number, bits: number) => (value >= 1 << (bits - 1) ? value - (1 << bits) : value);

// Dividing by a power of ten (not multiplying by its inverse) keeps 366e-1 exactly 36.6.
const scaled = (mantissa: number, exponent: number) => (exponent < 0 ? mantissa / 10 ** -exponent : mantissa * 10 ** exponent);

export function sfloat(raw: number): MedicalFloat {
  if (raw in specialSFloat) return { special: specialSFloat[raw] };
  return { value: scaled(signExtend(raw & 0x0fff, 12), signExtend(raw >> 12, 4)) };
}

export function float(raw: number): MedicalFloat {
  if (raw in specialFloat) return { special: specialFloat[raw] };
  const exponent = signExtend(raw >>> 24, 8);
  // The server keeps decimals, which hold 28 places and 28 digits: beyond that no physiological quantity lies.
  if (exponent < -28 || exponent > 21) return { special: 'out of range' };
  return { value: scaled(signExtend(raw & 0x00ffffff, 24), exponent) };
}

class Malformed extends Error {}

const round = (value: number, decimals: number) => Math.round(value * 10 ** decimals) / 10 ** decimals;
const pad = (n: number, width = 2) => String(n).padStart(width, '0');

class Reader {
  private offset = 0;

  constructor(private readonly bytes: DataView, readonly name: string) {}

  malformed(message: string): Malformed {
    return new Malformed(`${this.name}: ${message}`);
  }

  private take(field: string, count: number): number {
    if (this.offset + count > this.bytes.byteLength) {
      throw this.malformed(`the value ends after ${this.bytes.byteLength} byte(s), but the ${field} field needs bytes ${this.offset}–${this.offset + count - 1}.`);
    }
    const at = this.offset;
    this.offset += count;
    return at;
  }

  u8(field: string): number { return this.bytes.getUint8(this.take(field, 1)); }
  u16(field: string): number { return this.bytes.getUint16(this.take(field, 2), true); }
  s16(field: string): number { return this.bytes.getInt16(this.take(field, 2), true); }
  u24(field: string): number { const at = this.take(field, 3); return this.bytes.getUint16(at, true) | (this.bytes.getUint8(at + 2) << 16); }
  sfloat(field: string): MedicalFloat { return sfloat(this.u16(field)); }
  float(field: string): MedicalFloat { return float(this.bytes.getUint32(this.take(field, 4), true)); }

  /** The Date Time characteristic's 7 bytes. Year, month or day 0 means the device does not know: no time. */
  dateTime(field: string): Date | null {
    const year = this.u16(`${field} year`);
    const month = this.u8(`${field} month`);
    const day = this.u8(`${field} day`);
    const hours = this.u8(`${field} hours`);
    const minutes = this.u8(`${field} minutes`);
    const seconds = this.u8(`${field} seconds`);
    if (year !== 0 && (year < 1582 || year > 9999)) throw this.malformed(`${field}: year ${year} is outside 1582–9999.`);
    if (month > 12 || hours > 23 || minutes > 59 || seconds > 59) {
      throw this.malformed(`${field}: ${pad(year, 4)}-${pad(month)}-${pad(day)} ${pad(hours)}:${pad(minutes)}:${pad(seconds)} is not a time of day.`);
    }
    if (year === 0 || month === 0 || day === 0) return null;
    if (day > new Date(Date.UTC(year, month, 0)).getUTCDate()) throw this.malformed(`${field}: ${pad(year, 4)}-${pad(month)} has no day ${day}.`);
    return new Date(Date.UTC(year, month - 1, day, hours, minutes, seconds));
  }

  end(): void {
    if (this.offset !== this.bytes.byteLength) {
      throw this.malformed(`${this.bytes.byteLength - this.offset} byte(s) after the last field the flags announce (value is ${this.bytes.byteLength} bytes, fields end at ${this.offset}).`);
    }
  }
}

/** Device clock times are zone-less: kept as the wall-clock reading, in UTC fields only for arithmetic. */
const local = (time: Date | null) => (time ? time.toISOString().slice(0, 19) : null);

class Fields {
  quantities: DeviceQuantity[] = [];
  missing: NoReading[] = [];
  status: string[] = [];

  add(sign: VitalSign, number: MedicalFloat, ucum: string, toCanonical?: (value: number) => number): void {
    if ('value' in number) this.quantities.push({ sign, value: toCanonical ? toCanonical(number.value) : number.value, ucum });
    else this.missing.push({ sign, reason: number.special });
  }

  bits(value: number, names: (string | null)[]): void {
    names.forEach((name, bit) => { if (name && (value & (1 << bit)) !== 0) this.status.push(name); });
  }
}

const set = (flags: number, bit: number) => (flags & (1 << bit)) !== 0;

function bloodPressure(reader: Reader): DeviceReading {
  const flags = reader.u8('Flags');
  const fields = new Fields();
  const toMmHg = set(flags, 0) ? (kPa: number) => round(kPa * mmHgPerKilopascal, 1) : undefined;
  fields.add('systolic', reader.sfloat('Systolic'), 'mm[Hg]', toMmHg);
  fields.add('diastolic', reader.sfloat('Diastolic'), 'mm[Hg]', toMmHg);
  fields.add('meanArterialPressure', reader.sfloat('Mean Arterial Pressure'), 'mm[Hg]', toMmHg);
  const time = set(flags, 1) ? reader.dateTime('Time Stamp') : null;
  if (set(flags, 2)) fields.add('pulseRate', reader.sfloat('Pulse Rate'), '/min');
  const user = set(flags, 3) ? reader.u8('User ID') : undefined;
  if (set(flags, 4)) {
    const status = reader.u16('Measurement Status');
    fields.bits(status, ['bodyMovementDetected', 'cuffTooLoose', 'irregularPulseDetected', null, null, 'improperMeasurementPosition']);
    const range = (status >> 3) & 0b11;
    if (range === 1) fields.status.push('pulseRateExceedsUpperLimit');
    if (range === 2) fields.status.push('pulseRateBelowLowerLimit');
  }
  return { characteristic: Characteristic.bloodPressureMeasurement, ...fields, deviceTime: local(time), userId: user === 0xff ? undefined : user };
}

const plxMeasurementStatus = [
  null, null, null, null, null, 'measurementOngoing', 'earlyEstimatedData', 'validatedData', 'fullyQualifiedData', 'dataFromMeasurementStorage',
  'dataForDemonstration', 'dataForTesting', 'calibrationOngoing', 'measurementUnavailable', 'questionableMeasurementDetected', 'invalidMeasurementDetected',
];

const plxDeviceAndSensorStatus = [
  'extendedDisplayUpdateOngoing', 'equipmentMalfunctionDetected', 'signalProcessingIrregularityDetected', 'inadequateSignalDetected',
  'poorSignalDetected', 'lowPerfusionDetected', 'erraticSignalDetected', 'nonpulsatileSignalDetected', 'questionablePulseDetected',
  'signalAnalysisOngoing', 'sensorInterferenceDetected', 'sensorUnconnectedToUser', 'unknownSensorConnected', 'sensorDisplaced',
  'sensorMalfunctioning', 'sensorDisconnected',
];

function plxStatus(reader: Reader, fields: Fields, measurementStatus: boolean, deviceStatus: boolean, pulseAmplitude: boolean): void {
  if (measurementStatus) fields.bits(reader.u16('Measurement Status'), plxMeasurementStatus);
  if (deviceStatus) fields.bits(reader.u24('Device and Sensor Status'), plxDeviceAndSensorStatus);
  if (pulseAmplitude) fields.add('pulseAmplitudeIndex', reader.sfloat('Pulse Amplitude Index'), '%');
}

function plxSpotCheck(reader: Reader): DeviceReading {
  const flags = reader.u8('Flags');
  const fields = new Fields();
  fields.add('spO2', reader.sfloat('SpO2'), '%');
  fields.add('pulseRate', reader.sfloat('PR'), '/min');
  let time = set(flags, 0) ? reader.dateTime('Timestamp') : null;
  plxStatus(reader, fields, set(flags, 1), set(flags, 2), set(flags, 3));
  if (set(flags, 4)) {
    // The device says its clock was never set: whatever the time stamp holds is not a time.
    fields.status.push('deviceClockNotSet');
    time = null;
  }
  return { characteristic: Characteristic.plxSpotCheckMeasurement, ...fields, deviceTime: local(time) };
}

function plxContinuous(reader: Reader): DeviceReading {
  const flags = reader.u8('Flags');
  const fields = new Fields();
  fields.add('spO2', reader.sfloat('SpO2PR-Normal SpO2'), '%');
  fields.add('pulseRate', reader.sfloat('SpO2PR-Normal PR'), '/min');
  if (set(flags, 0)) {
    fields.add('spO2Fast', reader.sfloat('SpO2PR-Fast SpO2'), '%');
    fields.add('pulseRateFast', reader.sfloat('SpO2PR-Fast PR'), '/min');
  }
  if (set(flags, 1)) {
    fields.add('spO2Slow', reader.sfloat('SpO2PR-Slow SpO2'), '%');
    fields.add('pulseRateSlow', reader.sfloat('SpO2PR-Slow PR'), '/min');
  }
  plxStatus(reader, fields, set(flags, 2), set(flags, 3), set(flags, 4));
  return { characteristic: Characteristic.plxContinuousMeasurement, ...fields, deviceTime: null };
}

const temperatureTypes = [null, 'armpit', 'body', 'ear', 'finger', 'gastrointestinalTract', 'mouth', 'rectum', 'toe', 'tympanum'];

function temperature(reader: Reader): DeviceReading {
  const flags = reader.u8('Flags');
  const fields = new Fields();
  fields.add('bodyTemperature', reader.float('Temperature Measurement Value'), 'Cel',
    set(flags, 0) ? fahrenheit => round(((fahrenheit - 32) * 5) / 9, 2) : undefined);
  const time = set(flags, 1) ? reader.dateTime('Time Stamp') : null;
  let site: string | undefined;
  if (set(flags, 2)) {
    const type = reader.u8('Temperature Type');
    site = temperatureTypes[type] ?? undefined;
    if (!site) throw reader.malformed(`Temperature Type ${type} is reserved (1–9 name a body site).`);
  }
  return { characteristic: Characteristic.temperatureMeasurement, ...fields, status: [], deviceTime: local(time), bodySite: site };
}

function weight(reader: Reader): DeviceReading {
  const flags = reader.u8('Flags');
  const imperial = set(flags, 0);
  const fields = new Fields();
  const raw = reader.u16('Weight');
  if (raw === 0xffff) fields.missing.push({ sign: 'bodyWeight', reason: 'measurementUnsuccessful' });
  else fields.quantities.push({ sign: 'bodyWeight', value: imperial ? round(raw * 0.01 * kilogramsPerPound, 3) : round(raw * 0.005, 3), ucum: 'kg' });
  const time = set(flags, 1) ? reader.dateTime('Time Stamp') : null;
  const user = set(flags, 2) ? reader.u8('User ID') : undefined;
  if (set(flags, 3)) {
    fields.quantities.push({ sign: 'bodyMassIndex', value: round(reader.u16('BMI') * 0.1, 1), ucum: 'kg/m2' });
    const height = reader.u16('Height');
    fields.quantities.push({ sign: 'bodyHeight', value: imperial ? round(height * 0.1 * metresPerInch, 3) : round(height * 0.001, 3), ucum: 'm' });
  }
  return { characteristic: Characteristic.weightMeasurement, ...fields, status: [], deviceTime: local(time), userId: user === 0xff ? undefined : user };
}

const glucoseTypes = [
  null, 'capillaryWholeBlood', 'capillaryPlasma', 'venousWholeBlood', 'venousPlasma', 'arterialWholeBlood', 'arterialPlasma',
  'undeterminedWholeBlood', 'undeterminedPlasma', 'interstitialFluid', 'controlSolution',
];
const glucoseLocations = [null, 'finger', 'alternateSiteTest', 'earlobe', 'controlSolution', null, null, null, null, null, null, null, null, null, null, 'notAvailable'];
const glucoseSensorStatus = [
  'deviceBatteryLow', 'sensorMalfunction', 'sampleSizeInsufficient', 'stripInsertionError', 'stripTypeIncorrect', 'resultAboveDeviceRange',
  'resultBelowDeviceRange', 'sensorTemperatureTooHigh', 'sensorTemperatureTooLow', 'sensorReadInterrupted', 'generalDeviceFault', 'timeFault',
];

function glucose(reader: Reader): DeviceReading {
  const flags = reader.u8('Flags');
  const fields = new Fields();
  const sequence = reader.u16('Sequence Number');
  let time = reader.dateTime('Base Time');
  if (set(flags, 0)) {
    const offset = reader.s16('Time Offset');
    time = time ? new Date(time.getTime() + offset * 60_000) : null;
  }
  let specimen: string | undefined;
  let site: string | undefined;
  if (set(flags, 1)) {
    fields.add('glucose', reader.sfloat('Glucose Concentration'), 'mg/dL',
      set(flags, 2) ? molPerL => round(molPerL * 1000 * glucoseMgPerDlPerMmolPerL, 1) : kgPerL => round(kgPerL * 100_000, 1));
    const typeAndLocation = reader.u8('Type-Sample Location');
    specimen = glucoseTypes[typeAndLocation & 0x0f] ?? undefined;
    if (!specimen) throw reader.malformed(`Type ${typeAndLocation & 0x0f} is reserved (1–10 name a sample type).`);
    site = glucoseLocations[typeAndLocation >> 4] ?? undefined;
    if (!site) throw reader.malformed(`Sample Location ${typeAndLocation >> 4} is reserved (1–4 name a site, 15 says not available).`);
  }
  if (set(flags, 3)) fields.bits(reader.u16('Sensor Status Annunciation'), glucoseSensorStatus);
  if (set(flags, 4)) fields.status.push('contextInformationFollows');
  return { characteristic: Characteristic.glucoseMeasurement, ...fields, deviceTime: local(time), bodySite: site, specimen, sequenceNumber: sequence };
}

const parsers: Record<CharacteristicUuid, (reader: Reader) => DeviceReading> = {
  [Characteristic.bloodPressureMeasurement]: bloodPressure,
  [Characteristic.plxSpotCheckMeasurement]: plxSpotCheck,
  [Characteristic.plxContinuousMeasurement]: plxContinuous,
  [Characteristic.temperatureMeasurement]: temperature,
  [Characteristic.weightMeasurement]: weight,
  [Characteristic.glucoseMeasurement]: glucose,
};

export function parseGatt(characteristic: CharacteristicUuid, value: DataView): Parsed {
  const reader = new Reader(value, characteristicNames[characteristic]);
  try {
    const reading = parsers[characteristic](reader);
    reader.end();
    return { ok: true, reading: { ...reading, quantities: [...reading.quantities], missing: [...reading.missing], status: [...reading.status] } };
  } catch (error) {
    if (error instanceof Malformed) return { ok: false, error: error.message };
    throw error;
  }
}
