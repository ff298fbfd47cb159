import { type CharacteristicUuid, type DeviceReading, characteristicNames, parseGatt } from './gatt';

/** The standard GATT health services and the measurement characteristic each notifies or indicates. */
export const healthServices: readonly { service: number; characteristic: CharacteristicUuid }[] = [
  { service: 0x1810, characteristic: 0x2a35 }, // Blood Pressure
  { service: 0x1822, characteristic: 0x2a5e }, // Pulse Oximeter, spot-check
  { service: 0x1822, characteristic: 0x2a5f }, // Pulse Oximeter, continuous
  { service: 0x1809, characteristic: 0x2a1c }, // Health Thermometer
  { service: 0x181d, characteristic: 0x2a9d }, // Weight Scale
  { service: 0x1808, characteristic: 0x2a18 }, // Glucose
];

// The part of Web Bluetooth used here; the API is not in TypeScript's DOM library.
export interface GattCharacteristicLike extends EventTarget {
  readonly value?: DataView;
  startNotifications(): Promise<unknown>;
}
export interface GattServiceLike { getCharacteristic(uuid: number): Promise<GattCharacteristicLike> }
export interface GattServerLike { connect(): Promise<GattServerLike>; getPrimaryService(uuid: number): Promise<GattServiceLike> }
export interface BluetoothDeviceLike { readonly name?: string; readonly gatt?: GattServerLike }
export interface BluetoothLike {
  requestDevice(options: { filters: { services: number[] }[] }): Promise<BluetoothDeviceLike>;
}

/** What POST /api/consultations/{id}/device-readings takes: the value exactly as it came off the air. */
export interface BluetoothReadingRequest { readingId: string; characteristic: string; value: string; deviceName: string }

/** One notification: decoded here to show at once, and the server's answer once it has recorded (or refused) it. */
export type ReadingEvent =
  | { deviceName: string; characteristic: CharacteristicUuid; reading: DeviceReading; recorded: Promise<unknown> }
  | { deviceName: string; characteristic: CharacteristicUuid; error: string };

export const bluetoothOf = (nav: Navigator): BluetoothLike | undefined => (nav as Navigator & { bluetooth?: BluetoothLike }).bluetooth;

const base64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));

/**
 * Reads a Bluetooth LE medical device in the browser (Web Bluetooth): asks the person to pick a device offering one of
 * the health services, subscribes to each measurement characteristic it has, and sends every value to the server,
 * which parses and checks it again before recording it on the consultation.
 */
export class BluetoothVitalsReader {
  constructor(
    private readonly bluetooth: BluetoothLike | undefined,
    private readonly send: (request: BluetoothReadingRequest) => Promise<unknown>,
    private readonly newId: () => string = () => crypto.randomUUID(),
  ) {}

  get available(): boolean {
    return this.bluetooth !== undefined;
  }

  /** Connects to the device the person picks; resolves with its name once its measurements are subscribed to. */
  async connect(onReading: (event: ReadingEvent) => void): Promise<string> {
    if (!this.bluetooth) throw new Error('Web Bluetooth is not available in this browser.');
    const services = [...new Set(healthServices.map(s => s.service))];
    const device = await this.bluetooth.requestDevice({ filters: services.map(service => ({ services: [service] })) });
    if (!device.gatt) throw new Error('This device offers no GATT server.');
    const deviceName = device.name?.trim() || 'Bluetooth device';
    const server = await device.gatt.connect();
    let subscribed = 0;
    for (const { service, characteristic } of healthServices) {
      const found = await server.getPrimaryService(service).then(s => s.getCharacteristic(characteristic)).catch(() => undefined);
      if (!found) continue;
      found.addEventListener('characteristicvaluechanged', () => {
        if (found.value) this.received(deviceName, characteristic, found.value, onReading);
      });
      await found.startNotifications();
      subscribed++;
    }
    if (subscribed === 0) throw new Error(`${deviceName} offers none of the measurements read: ${Object.values(characteristicNames).join(', ')}.`);
    return deviceName;
  }

  /** A notification: parsed for display, and sent as read unless it is malformed (which the server would refuse too). */
  received(deviceName: string, characteristic: CharacteristicUuid, value: DataView, onReading: (event: ReadingEvent) => void): void {
    // The browser may reuse the DataView for the next notification: copy the bytes now.
    const bytes = new Uint8Array(value.buffer.slice(value.byteOffset, value.byteOffset + value.byteLength));
    const parsed = parseGatt(characteristic, new DataView(bytes.buffer));
    if (!parsed.ok) {
      onReading({ deviceName, characteristic, error: parsed.error });
      return;
    }
    const recorded = this.send({ readingId: this.newId(), characteristic: characteristic.toString(16).padStart(4, '0'), value: base64(bytes), deviceName });
    onReading({ deviceName, characteristic, reading: parsed.reading, recorded });
  }
}
