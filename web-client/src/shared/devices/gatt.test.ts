import { describe, expect, it } from 'vitest';
import { Characteristic, type CharacteristicUuid, type DeviceReading, float, parseGatt, sfloat } from './gatt';

/** Builds a characteristic value field by field, little-endian, as the GATT specifications lay them out (as the domain tests do). */
class GattValue {
  private readonly bytes: number[] = [];
  u8(v: number) { this.bytes.push(v & 0xff); return this; }
  u16(v: number) { return this.u8(v).u8(v >> 8); }
  u24(v: number) { return this.u16(v & 0xffff).u8(v >> 16); }
  sfloat(mantissa: number, exponent: number) { return this.u16(((exponent & 0xf) << 12) | (mantissa & 0xfff)); }
  float(mantissa: number, exponent: number) { return this.u24(mantissa & 0xffffff).u8(exponent); }
  raw(...bytes: number[]) { bytes.forEach(b => this.u8(b)); return this; }
  time(year: number, month: number, day: number, hours: number, minutes: number, seconds: number) {
    return this.u16(year).u8(month).u8(day).u8(hours).u8(minutes).u8(seconds);
  }
  when(condition: boolean, add: (v: GattValue) => GattValue) { return condition ? add(this) : this; }
  view() { return new DataView(Uint8Array.from(this.bytes).buffer); }
}

const bit = (flags: number, n: number) => (flags & (1 << n)) !== 0;
const stamp = '2026-12-07T09:30:15';
const range = (n: number) => [...Array(n).keys()];

function parsed(characteristic: CharacteristicUuid, value: DataView): DeviceReading {
  const result = parseGatt(characteristic, value);
  if (!result.ok) throw new Error(result.error);
  return result.reading;
}

/** Every shorter prefix names the field cut short; one byte more is refused too. */
function everyTruncationAndExtraByteIsRefused(characteristic: CharacteristicUuid, value: DataView) {
  const bytes = new Uint8Array(value.buffer);
  for (let length = 0; length < bytes.length; length++) {
    const cut = parseGatt(characteristic, new DataView(bytes.slice(0, length).buffer));
    expect(cut.ok).toBe(false);
    if (!cut.ok) expect(cut.error).toContain('field needs bytes');
  }
  const longer = parseGatt(characteristic, new DataView(Uint8Array.from([...bytes, 0]).buffer));
  expect(longer.ok ? '' : longer.error).toContain('after the last field');
}

describe('IEEE 11073 numbers', () => {
  it.each([[0x0072, 114], [0xf16e, 36.6], [0x0fff, -1], [0x2005, 500], [0x8001, 0.00000001], [0xe800, -20.48], [0x07fd, 2045]])(
    'sfloat 0x%s is mantissa times ten to the exponent', (raw, value) => expect(sfloat(raw)).toEqual({ value }));

  it.each([[0x07ff, 'NaN'], [0x0800, 'NRes'], [0x07fe, '+INFINITY'], [0x0802, '-INFINITY'], [0x0801, 'reserved']])(
    'sfloat special value 0x%s is no reading', (raw, special) => expect(sfloat(raw)).toEqual({ special }));

  it.each([[0xff00016e, 36.6], [0xfe000e4d, 36.61], [0x00000062, 98], [0x00ffffff, -1], [0x02000001, 100]])(
    'float 0x%s has an 8-bit exponent and a 24-bit mantissa', (raw, value) => expect(float(raw)).toEqual({ value }));

  it.each([[0x007fffff, 'NaN'], [0x00800000, 'NRes'], [0x007ffffe, '+INFINITY'], [0x00800002, '-INFINITY'], [0x00800001, 'reserved'],
    [0x7f000001, 'out of range'], [0x80000001, 'out of range']])(
    'float special value 0x%s is no reading', (raw, special) => expect(float(raw)).toEqual({ special }));
});

describe('Blood Pressure Measurement', () => {
  it.each(range(32))('reads flags %i', flags => {
    const kPa = bit(flags, 0);
    const value = new GattValue().u8(flags)
      .when(kPa, v => v.sfloat(160, -1).sfloat(107, -1).sfloat(128, -1))
      .when(!kPa, v => v.sfloat(120, 0).sfloat(80, 0).sfloat(93, 0))
      .when(bit(flags, 1), v => v.time(2026, 12, 7, 9, 30, 15))
      .when(bit(flags, 2), v => v.sfloat(72, 0))
      .when(bit(flags, 3), v => v.u8(3))
      .when(bit(flags, 4), v => v.u16(0b10_1101))
      .view();
    const reading = parsed(Characteristic.bloodPressureMeasurement, value);
    expect(reading.quantities).toEqual([
      { sign: 'systolic', value: 120, ucum: 'mm[Hg]' },
      { sign: 'diastolic', value: kPa ? 80.3 : 80, ucum: 'mm[Hg]' },
      { sign: 'meanArterialPressure', value: kPa ? 96 : 93, ucum: 'mm[Hg]' },
      ...(bit(flags, 2) ? [{ sign: 'pulseRate', value: 72, ucum: '/min' }] : []),
    ]);
    expect(reading.deviceTime).toBe(bit(flags, 1) ? stamp : null);
    expect(reading.userId).toBe(bit(flags, 3) ? 3 : undefined);
    expect(reading.status).toEqual(bit(flags, 4)
      ? ['bodyMovementDetected', 'irregularPulseDetected', 'improperMeasurementPosition', 'pulseRateExceedsUpperLimit'] : []);
    everyTruncationAndExtraByteIsRefused(Characteristic.bloodPressureMeasurement, value);
  });

  it('gives special values as missing readings, never numbers', () => {
    const reading = parsed(Characteristic.bloodPressureMeasurement, new GattValue().u8(0x04).raw(0xff, 0x07, 0x00, 0x08, 0x01, 0x08, 0xfe, 0x07).view());
    expect(reading.quantities).toEqual([]);
    expect(reading.missing).toEqual([
      { sign: 'systolic', reason: 'NaN' }, { sign: 'diastolic', reason: 'NRes' },
      { sign: 'meanArterialPressure', reason: 'reserved' }, { sign: 'pulseRate', reason: '+INFINITY' },
    ]);
  });

  it.each([[2026, 13, 7, 9, 'not a time of day'], [2026, 2, 30, 9, 'has no day 30'], [1000, 2, 3, 9, 'outside 1582–9999'], [2026, 12, 7, 24, 'not a time of day']])(
    'refuses the time stamp %i-%i-%i %i:30', (year, month, day, hours, message) => {
      const result = parseGatt(Characteristic.bloodPressureMeasurement,
        new GattValue().u8(0x02).sfloat(120, 0).sfloat(80, 0).sfloat(93, 0).time(year, month, day, hours, 30, 0).view());
      expect(result.ok ? '' : result.error).toContain(message as string);
    });

  it('takes a time stamp with an unknown year as no time', () => {
    const reading = parsed(Characteristic.bloodPressureMeasurement, new GattValue().u8(0x02).sfloat(120, 0).sfloat(80, 0).sfloat(93, 0).time(0, 12, 7, 9, 30, 15).view());
    expect(reading.deviceTime).toBeNull();
  });
});

describe('PLX Spot-check Measurement', () => {
  it.each(range(32))('reads flags %i', flags => {
    const value = new GattValue().u8(flags).sfloat(97, 0).sfloat(72, 0)
      .when(bit(flags, 0), v => v.time(2026, 12, 7, 9, 30, 15))
      .when(bit(flags, 1), v => v.u16(0x00a0))
      .when(bit(flags, 2), v => v.u24(0x010020))
      .when(bit(flags, 3), v => v.sfloat(35, -1))
      .view();
    const reading = parsed(Characteristic.plxSpotCheckMeasurement, value);
    expect(reading.quantities).toEqual([
      { sign: 'spO2', value: 97, ucum: '%' }, { sign: 'pulseRate', value: 72, ucum: '/min' },
      ...(bit(flags, 3) ? [{ sign: 'pulseAmplitudeIndex', value: 3.5, ucum: '%' }] : []),
    ]);
    expect(reading.deviceTime).toBe(bit(flags, 0) && !bit(flags, 4) ? stamp : null);
    expect(reading.status).toEqual([
      ...(bit(flags, 1) ? ['measurementOngoing', 'validatedData'] : []),
      ...(bit(flags, 2) ? ['lowPerfusionDetected'] : []),
      ...(bit(flags, 4) ? ['deviceClockNotSet'] : []),
    ]);
    everyTruncationAndExtraByteIsRefused(Characteristic.plxSpotCheckMeasurement, value);
  });
});

describe('PLX Continuous Measurement', () => {
  it.each(range(32))('reads flags %i', flags => {
    const value = new GattValue().u8(flags).sfloat(98, 0).sfloat(70, 0)
      .when(bit(flags, 0), v => v.sfloat(97, 0).sfloat(71, 0))
      .when(bit(flags, 1), v => v.sfloat(96, 0).sfloat(69, 0))
      .when(bit(flags, 2), v => v.u16(0x8000))
      .when(bit(flags, 3), v => v.u24(0x008000))
      .when(bit(flags, 4), v => v.sfloat(120, -2))
      .view();
    const reading = parsed(Characteristic.plxContinuousMeasurement, value);
    expect(reading.quantities).toEqual([
      { sign: 'spO2', value: 98, ucum: '%' }, { sign: 'pulseRate', value: 70, ucum: '/min' },
      ...(bit(flags, 0) ? [{ sign: 'spO2Fast', value: 97, ucum: '%' }, { sign: 'pulseRateFast', value: 71, ucum: '/min' }] : []),
      ...(bit(flags, 1) ? [{ sign: 'spO2Slow', value: 96, ucum: '%' }, { sign: 'pulseRateSlow', value: 69, ucum: '/min' }] : []),
      ...(bit(flags, 4) ? [{ sign: 'pulseAmplitudeIndex', value: 1.2, ucum: '%' }] : []),
    ]);
    expect(reading.status).toEqual([...(bit(flags, 2) ? ['invalidMeasurementDetected'] : []), ...(bit(flags, 3) ? ['sensorDisconnected'] : [])]);
    everyTruncationAndExtraByteIsRefused(Characteristic.plxContinuousMeasurement, value);
  });
});

describe('Temperature Measurement', () => {
  it.each(range(8))('reads flags %i', flags => {
    const fahrenheit = bit(flags, 0);
    const value = new GattValue().u8(flags)
      .when(fahrenheit, v => v.float(1004, -1))
      .when(!fahrenheit, v => v.float(366, -1))
      .when(bit(flags, 1), v => v.time(2026, 12, 7, 9, 30, 15))
      .when(bit(flags, 2), v => v.u8(6))
      .view();
    const reading = parsed(Characteristic.temperatureMeasurement, value);
    expect(reading.quantities).toEqual([{ sign: 'bodyTemperature', value: fahrenheit ? 38 : 36.6, ucum: 'Cel' }]);
    expect(reading.deviceTime).toBe(bit(flags, 1) ? stamp : null);
    expect(reading.bodySite).toBe(bit(flags, 2) ? 'mouth' : undefined);
    everyTruncationAndExtraByteIsRefused(Characteristic.temperatureMeasurement, value);
  });

  it('gives a FLOAT special value as no temperature', () => {
    const reading = parsed(Characteristic.temperatureMeasurement, new GattValue().u8(0).raw(0xff, 0xff, 0x7f, 0x00).view());
    expect(reading.missing).toEqual([{ sign: 'bodyTemperature', reason: 'NaN' }]);
  });
});

describe('Weight Measurement', () => {
  it.each(range(16))('reads flags %i', flags => {
    const imperial = bit(flags, 0);
    const value = new GattValue().u8(flags).u16(imperial ? 15400 : 14000)
      .when(bit(flags, 1), v => v.time(2026, 12, 7, 9, 30, 15))
      .when(bit(flags, 2), v => v.u8(1))
      .when(bit(flags, 3), v => v.u16(229).u16(imperial ? 689 : 1750))
      .view();
    const reading = parsed(Characteristic.weightMeasurement, value);
    expect(reading.quantities).toEqual([
      { sign: 'bodyWeight', value: imperial ? 69.853 : 70, ucum: 'kg' },
      ...(bit(flags, 3) ? [{ sign: 'bodyMassIndex', value: 22.9, ucum: 'kg/m2' }, { sign: 'bodyHeight', value: 1.75, ucum: 'm' }] : []),
    ]);
    expect(reading.deviceTime).toBe(bit(flags, 1) ? stamp : null);
    expect(reading.userId).toBe(bit(flags, 2) ? 1 : undefined);
    everyTruncationAndExtraByteIsRefused(Characteristic.weightMeasurement, value);
  });

  it('gives an unsuccessful weighing as no weight', () => {
    expect(parsed(Characteristic.weightMeasurement, new GattValue().u8(0).u16(0xffff).view()).missing)
      .toEqual([{ sign: 'bodyWeight', reason: 'measurementUnsuccessful' }]);
  });
});

describe('Glucose Measurement', () => {
  it.each(range(32))('reads flags %i', flags => {
    const molar = bit(flags, 2);
    const value = new GattValue().u8(flags).u16(42).time(2026, 12, 7, 8, 0, 0)
      .when(bit(flags, 0), v => v.u16(-15))
      .when(bit(flags, 1) && molar, v => v.sfloat(55, -4).u8(0x11))
      .when(bit(flags, 1) && !molar, v => v.sfloat(99, -5).u8(0x11))
      .when(bit(flags, 3), v => v.u16(0x0001))
      .view();
    const reading = parsed(Characteristic.glucoseMeasurement, value);
    expect(reading.quantities).toEqual(bit(flags, 1) ? [{ sign: 'glucose', value: molar ? 99.1 : 99, ucum: 'mg/dL' }] : []);
    expect(reading.sequenceNumber).toBe(42);
    expect(reading.deviceTime).toBe(bit(flags, 0) ? '2026-12-07T07:45:00' : '2026-12-07T08:00:00');
    expect(reading.specimen).toBe(bit(flags, 1) ? 'capillaryWholeBlood' : undefined);
    expect(reading.bodySite).toBe(bit(flags, 1) ? 'finger' : undefined);
    expect(reading.status).toEqual([...(bit(flags, 3) ? ['deviceBatteryLow'] : []), ...(bit(flags, 4) ? ['contextInformationFollows'] : [])]);
    everyTruncationAndExtraByteIsRefused(Characteristic.glucoseMeasurement, value);
  });

  it.each([[0x10, 'Type 0 is reserved'], [0x1b, 'Type 11 is reserved'], [0x51, 'Sample Location 5 is reserved']])(
    'refuses type and location byte 0x%s', (byte, message) => {
      const result = parseGatt(Characteristic.glucoseMeasurement, new GattValue().u8(0x02).u16(1).time(2026, 12, 7, 8, 0, 0).sfloat(99, -5).u8(byte as number).view());
      expect(result.ok ? '' : result.error).toContain(message as string);
    });
});
