import { describe, expect, it } from 'vitest';
import { type BluetoothLike, type BluetoothReadingRequest, BluetoothVitalsReader, type GattCharacteristicLike, type ReadingEvent } from './bluetooth';

/** A cuff's measurement characteristic: notifications are dispatched as a browser would, after startNotifications. */
class FakeCharacteristic extends EventTarget implements GattCharacteristicLike {
  value?: DataView;
  started = false;
  async startNotifications() { this.started = true; }
  notify(bytes: number[]) {
    this.value = new DataView(Uint8Array.from(bytes).buffer);
    this.dispatchEvent(new Event('characteristicvaluechanged'));
  }
}

function fakeCuff(name = 'A&D UA-651BLE') {
  const measurement = new FakeCharacteristic();
  const requested: { filters: { services: number[] }[] }[] = [];
  const bluetooth: BluetoothLike = {
    async requestDevice(options) {
      requested.push(options);
      const server = {
        connect: async () => server,
        getPrimaryService: async (uuid: number) => {
          if (uuid !== 0x1810) throw new DOMException('No such service', 'NotFoundError');
          return { getCharacteristic: async (c: number) => { if (c !== 0x2a35) throw new DOMException('none', 'NotFoundError'); return measurement; } };
        },
      };
      return { name, gatt: server };
    },
  };
  return { bluetooth, measurement, requested };
}

describe('Bluetooth vitals reader', () => {
  it('asks for the standard health services, subscribes and sends each value as read', async () => {
    const { bluetooth, measurement, requested } = fakeCuff();
    const sent: BluetoothReadingRequest[] = [];
    const events: ReadingEvent[] = [];
    let next = 0;
    const reader = new BluetoothVitalsReader(bluetooth, async request => { sent.push(request); return request; }, () => `r-${++next}`);

    expect(await reader.connect(e => events.push(e))).toBe('A&D UA-651BLE');
    expect(requested[0].filters).toEqual([0x1810, 0x1822, 0x1809, 0x181d, 0x1808].map(service => ({ services: [service] })));
    expect(measurement.started).toBe(true);

    // 128/82 mmHg, MAP 97, pulse 76: the bytes the server test records too.
    measurement.notify([0x04, 128, 0x00, 82, 0x00, 97, 0x00, 76, 0x00]);
    expect(sent).toEqual([{ readingId: 'r-1', characteristic: '2a35', value: 'BIAAUgBhAEwA', deviceName: 'A&D UA-651BLE' }]);
    expect(events).toHaveLength(1);
    const event = events[0];
    expect('reading' in event && event.reading.quantities.map(q => [q.sign, q.value])).toEqual([['systolic', 128], ['diastolic', 82], ['meanArterialPressure', 97], ['pulseRate', 76]]);
  });

  it('shows a malformed value as an error and does not send it', async () => {
    const { bluetooth, measurement } = fakeCuff();
    const sent: BluetoothReadingRequest[] = [];
    const events: ReadingEvent[] = [];
    const reader = new BluetoothVitalsReader(bluetooth, async request => sent.push(request));
    await reader.connect(e => events.push(e));

    measurement.notify([0x04, 0x07, 0x00]);

    expect(sent).toEqual([]);
    expect('error' in events[0] && events[0].error).toContain('Diastolic field needs bytes 3–4');
  });

  it('refuses a device with none of the measurements', async () => {
    const bluetooth: BluetoothLike = {
      requestDevice: async () => ({ name: 'Heart strap', gatt: { connect: async function () { return this; }, getPrimaryService: async () => { throw new Error('none'); } } }),
    };
    await expect(new BluetoothVitalsReader(bluetooth, async () => undefined).connect(() => undefined)).rejects.toThrow('offers none of the measurements');
  });

  it('says when the browser has no Web Bluetooth', () => {
    expect(new BluetoothVitalsReader(undefined, async () => undefined).available).toBe(false);
  });
});
