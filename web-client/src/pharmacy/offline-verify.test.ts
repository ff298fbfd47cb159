import { describe, expect, it } from 'vitest';
import fixture from './offline-verify.fixture.json';
import { cachedVerification, dayInIndia, decodePrescriptionQr, refreshVerification, verifyOffline, type Jwk } from './offline-verify';

const keys = fixture.jwks.keys as Jwk[];
const inDecember = new Date('2026-12-08T03:00:00Z');

/** The text with one digit of the compressed payload changed (past the header, which the first dot, "01", ends). */
function tampered(text: string, offset: number) {
  const start = text.indexOf('#jws:') + 5;
  let headerEnd = start;
  while (text.slice(headerEnd, headerEnd + 2) !== '01') headerEnd += 2;
  const at = headerEnd + 2 + offset;
  return text.slice(0, at) + String((Number(text[at]) + 1) % 4) + text.slice(at + 1);
}

describe('decodePrescriptionQr', () => {
  it('gives back the very JWS the server signed, from the code the server printed', async () =>
    expect(await decodePrescriptionQr(fixture.qr)).toBe(fixture.jws));
  it('finds nothing in a code that is only a link, or whose digits are not a JWS', async () => {
    expect(await decodePrescriptionQr('https://telemed.example.in/verify/0193a000-0000-7000-8000-0000000000aa')).toBeUndefined();
    expect(await decodePrescriptionQr('https://x/verify/1#jws:9999')).toBeUndefined();
    expect(await decodePrescriptionQr('https://x/verify/1#jws:123')).toBeUndefined();
  });
});

describe('verifyOffline', () => {
  it('accepts the printed code with the kept keys, showing what was signed', async () => {
    const result = await verifyOffline(fixture.qr, keys, fixture.emptyList, inDecember);
    expect(result.verdict).toBe('genuine');
    if (!('prescription' in result)) throw new Error('no prescription');
    expect(result.prescription.doctor.registrationNumber).toBe('MMC-2009-04512');
    expect(result.prescription.patient.name).toBe('सुनीता देवी');
    expect(result.prescription.medicines[0]).toMatchObject({ generic: 'paracetamol', quantity: 10 });
    expect(result.revocations?.issuedAt).toBe('2026-11-25T10:35:00+00:00');
  });

  it.each([12, 101, 333])('refuses the code with one digit of its payload changed (at %i)', async offset =>
    expect((await verifyOffline(tampered(fixture.qr, offset), keys, fixture.emptyList, inDecember)).verdict).toBe('altered'));

  it('refuses a code re-packed with an altered prescription, which inflates and reads well', async () => {
    const [header, payload, signature] = fixture.jws.split('.');
    const signed = new TextDecoder().decode(Uint8Array.from(atob(payload.replace(/-/g, '+').replace(/_/g, '/')), c => c.charCodeAt(0)));
    const altered = new TextEncoder().encode(signed.replace('"quantity":10', '"quantity":90'));
    const compressed = new Uint8Array(await new Response(new Blob([altered]).stream().pipeThrough(new CompressionStream('deflate-raw'))).arrayBuffer());
    const packed = `${header}.${btoa(String.fromCharCode(...compressed)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')}.${signature}`;
    const code = `https://x/verify/1#jws:${[...packed].map(c => String(c.charCodeAt(0) - 45).padStart(2, '0')).join('')}`;
    expect(await decodePrescriptionQr(code)).toContain(header);

    expect((await verifyOffline(code, keys, fixture.emptyList, inDecember)).verdict).toBe('altered');
  });

  it('refuses a signature from a key it does not hold, and one from another key under a held key id', async () => {
    expect((await verifyOffline(fixture.qr, [], undefined, inDecember)).verdict).toBe('unknownKey');
    const other: Jwk = { ...keys[0], x: 'MKBCTNIcKUSDii11ySs3526iDZ8AiTo7Tu6KPAqv7D4', y: '4Etl6SRW2YiLUrN5vfvVHuhp7x8PxltmWWlbbM4IFyM' };
    expect((await verifyOffline(fixture.qr, [other], undefined, inDecember)).verdict).toBe('altered');
  });

  it('names a prescription on the kept revocation list revoked, and one past its last day expired', async () => {
    expect((await verifyOffline(fixture.qr, keys, fixture.revokedList, inDecember)).verdict).toBe('revoked');
    expect((await verifyOffline(fixture.qr, keys, fixture.emptyList, new Date('2026-12-25T18:30:00Z'))).verdict).toBe('expired');
    expect((await verifyOffline(fixture.qr, keys, fixture.emptyList, new Date('2026-12-25T18:29:00Z'))).verdict).toBe('genuine');
  });

  it('ignores a revocation list whose signature does not hold, and never takes a list for a prescription', async () => {
    const [header, , signature] = fixture.revokedList.split('.');
    const edited = `${header}.${btoa('{"issuedAt":"2026-11-25T10:35:00+00:00","revoked":[]}').replace(/=+$/, '')}.${signature}`;
    const result = await verifyOffline(fixture.qr, keys, edited, inDecember);
    expect(result.verdict).toBe('genuine');
    expect('revocations' in result && result.revocations).toBeFalsy();
    const listAsCode = `https://x/verify/1#jws:${[...fixture.revokedList].map(c => String(c.charCodeAt(0) - 45).padStart(2, '0')).join('')}`;
    expect((await verifyOffline(listAsCode, keys, undefined, inDecember)).verdict).toBe('altered');
  });
});

describe('a prescription signed with the doctor\'s own key', () => {
  const toBase64Url = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  const payloadOf = (jws: string) => Uint8Array.from(atob(jws.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')), c => c.charCodeAt(0));

  /** The fixture's prescription signed as the server signs it with a doctor's key, packed into a code as the server prints it. */
  async function signedByDoctor(payload = payloadOf(fixture.jws), type = 'JOSE') {
    const pair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
    const { x, y } = await crypto.subtle.exportKey('jwk', pair.publicKey);
    const doctorKey: Jwk = { kty: 'EC', crv: 'P-256', x: x!, y: y!, kid: 'doctor-key', hpr: '71-1234-5678-9012' };
    const header = toBase64Url(new TextEncoder().encode(JSON.stringify({ alg: 'ES256', kid: doctorKey.kid, typ: type })));
    const signingInput = `${header}.${toBase64Url(payload)}`;
    const signature = new Uint8Array(await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, pair.privateKey, new TextEncoder().encode(signingInput)));
    const jws = `${signingInput}.${toBase64Url(signature)}`;
    const compressed = new Uint8Array(await new Response(new Blob([payload]).stream().pipeThrough(new CompressionStream('deflate-raw'))).arrayBuffer());
    const packed = `${header}.${toBase64Url(compressed)}.${toBase64Url(signature)}`;
    const code = `https://x/verify/1#jws:${[...packed].map(c => String(c.charCodeAt(0) - 45).padStart(2, '0')).join('')}`;
    return { doctorKey, jws, code };
  }

  const issuedAt = () => Date.parse((JSON.parse(new TextDecoder().decode(payloadOf(fixture.jws))) as { issuedAt: string }).issuedAt) / 1000;

  it('is genuine with the doctor\'s published key and names the doctor by HPR id; the facility-key fixture says the facility signed', async () => {
    const { doctorKey, code } = await signedByDoctor();
    const result = await verifyOffline(code, [...keys, doctorKey], fixture.emptyList, inDecember);
    expect(result.verdict).toBe('genuine');
    expect('signer' in result && result.signer).toEqual({ by: 'doctor', hprId: '71-1234-5678-9012' });
    const legacy = await verifyOffline(fixture.qr, [...keys, doctorKey], fixture.emptyList, inDecember);
    expect('signer' in legacy && legacy.signer).toEqual({ by: 'facility' });
  });

  it('fails when the doctor\'s key was revoked at or before the time the prescription says it was signed, not when revoked after', async () => {
    const { doctorKey, code } = await signedByDoctor();
    expect((await verifyOffline(code, [...keys, { ...doctorKey, revoked_at: issuedAt() }], fixture.emptyList, inDecember)).verdict).toBe('keyRevoked');
    expect((await verifyOffline(code, [...keys, { ...doctorKey, revoked_at: issuedAt() + 60 }], fixture.emptyList, inDecember)).verdict).toBe('genuine');
  });

  it('never takes a revocation list signed by a doctor\'s key', async () => {
    const list = new TextEncoder().encode('{"issuedAt":"2026-11-25T10:35:00+00:00","revoked":[]}');
    const { doctorKey, jws } = await signedByDoctor(list, 'telemed-revocations');
    const result = await verifyOffline(fixture.qr, [...keys, doctorKey], jws, inDecember);
    expect(result.verdict).toBe('genuine');
    expect('revocations' in result && result.revocations).toBeFalsy();
  });
});

describe('the verification cache', () => {
  function memory() {
    const items = new Map<string, string>();
    return { getItem: (key: string) => items.get(key) ?? null, setItem: (key: string, value: string) => void items.set(key, value) };
  }

  it('keeps the keys and list the server gave, and keeps them when the server does not answer', async () => {
    const storage = memory();
    const answers: Record<string, string> = { '/.well-known/jwks.json': JSON.stringify(fixture.jwks), '/api/prescriptions/revocations': fixture.emptyList };
    await refreshVerification(async path => new Response(answers[path]), storage);
    const offline = await refreshVerification(() => Promise.reject(new TypeError('Failed to fetch')), storage);
    expect(offline).toEqual({ keys, revocations: fixture.emptyList });
    expect(cachedVerification(storage)).toEqual(offline);
  });
});

describe('dayInIndia', () => {
  it('turns at 18:30 UTC', () => {
    expect(dayInIndia(new Date('2026-12-25T18:29:00Z'))).toBe('2026-12-25');
    expect(dayInIndia(new Date('2026-12-25T18:30:00Z'))).toBe('2026-12-26');
  });
});
