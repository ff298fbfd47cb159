/**
 * Verifying a prescription's QR code on the device, without the network. The code holds the verification link, then
 * "#jws:" and the signed prescription (src/Telemed.Domain/Prescriptions/PrescriptionQr.cs): its compact JWS written as
 * SMART Health Cards do (each base64url character as two digits, its code minus 45) with the payload raw-DEFLATEd.
 * The keys (the server's JWKS) and the signed list of revoked prescriptions are kept from the last time the server
 * answered; the list's own signed time says how old it is.
 */

export const marker = '#jws:';

/**
 * A published key: a doctor's carries the doctor's HPR id (`hpr`) and, once revoked, when (`revoked_at`, Unix seconds);
 * the facility's keys carry neither.
 */
export interface Jwk { kty: string; crv: string; x: string; y: string; kid: string; hpr?: string; revoked_at?: number }

/** The JWS "typ" of each kind of signed object, so that none passes for another. */
const prescriptionType = 'JOSE';
const revocationListType = 'telemed-revocations';

/** The part of the signed content this page shows (PrescriptionContent in canonical JSON). */
export interface SignedPrescription {
  prescriptionId: string;
  issuedAt: string;
  validUntil: string;
  doctor: { name: string; qualification: string; registrationNumber: string; stateCouncil: string; hprId: string };
  facility: { name: string };
  patient: { name: string; ageYears: number; sex: string };
  medicines: { generic: string; strength: string; form: string; dose: string; frequency: string; quantity: number; durationDays: number; instructions?: string }[];
}

export interface RevocationList { issuedAt: string; revoked: string[] }

/** Whose key signed: the doctor's own (named by HPR id), or the facility's (prescriptions from before doctors' keys). */
export type Signer = { by: 'doctor'; hprId: string } | { by: 'facility' };

export type OfflineVerdict =
  | { verdict: 'genuine' | 'revoked' | 'expired'; prescription: SignedPrescription; signer: Signer; revocations?: RevocationList }
  | { verdict: 'altered' | 'unknownKey' | 'keyRevoked' };

/** Whether a scanned text is meant to carry a signed prescription (intact or not). */
export function carriesSignature(text: string): boolean {
  return text.includes(marker);
}

function fromBase64Url(text: string): Uint8Array<ArrayBuffer> | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return undefined;
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - text.length % 4) % 4);
  try {
    return Uint8Array.from(atob(base64), c => c.charCodeAt(0));
  } catch {
    return undefined;
  }
}

function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

// A prescription is a few KB of JSON: a code that inflates beyond this is not one.
const maxPayloadBytes = 64 * 1024;

async function inflate(compressed: Uint8Array<ArrayBuffer>): Promise<Uint8Array | undefined> {
  try {
    const reader = new Blob([compressed]).stream().pipeThrough(new DecompressionStream('deflate-raw')).getReader();
    const chunks: Uint8Array[] = [];
    let length = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      length += value.length;
      if (length > maxPayloadBytes) {
        await reader.cancel();
        return undefined;
      }
      chunks.push(value);
    }
    const payload = new Uint8Array(length);
    let at = 0;
    for (const chunk of chunks) {
      payload.set(chunk, at);
      at += chunk.length;
    }
    return payload;
  } catch {
    return undefined;
  }
}

/** The compact JWS a QR code's text carries, its payload inflated back to exactly what was signed; undefined when damaged. */
export async function decodePrescriptionQr(text: string): Promise<string | undefined> {
  const at = text.indexOf(marker);
  if (at < 0) return undefined;
  const digits = text.slice(at + marker.length).trim();
  if (digits.length % 2 !== 0 || !/^\d*$/.test(digits)) return undefined;
  let carried = '';
  for (let i = 0; i < digits.length; i += 2) {
    const code = Number(digits.slice(i, i + 2));
    // '-' (45) to 'z' (122): every base64url character and the dots between the parts.
    if (code > 122 - 45) return undefined;
    carried += String.fromCharCode(code + 45);
  }
  const parts = carried.split('.');
  const compressed = parts.length === 3 ? fromBase64Url(parts[1]) : undefined;
  const payload = compressed && await inflate(compressed);
  return payload ? `${parts[0]}.${toBase64Url(payload)}.${parts[2]}` : undefined;
}

type Verified = { ok: true; payload: unknown; key: Jwk } | { ok: false; problem: 'altered' | 'unknownKey' };

/** ES256 with WebCrypto: the JWS signature is r||s, exactly what ECDSA verify takes. */
export async function verifyJws(jws: string, type: string, keys: readonly Jwk[]): Promise<Verified> {
  const parts = jws.split('.');
  const [header, payload, signature] = parts.map(fromBase64Url);
  if (parts.length !== 3 || !header || !payload || !signature) return { ok: false, problem: 'altered' };
  let claims: { alg?: string; kid?: string; typ?: string };
  try {
    claims = JSON.parse(new TextDecoder().decode(header)) as typeof claims;
  } catch {
    return { ok: false, problem: 'altered' };
  }
  if (claims.alg !== 'ES256' || claims.typ !== type) return { ok: false, problem: 'altered' };
  const jwk = keys.find(key => key.kid === claims.kid && key.kty === 'EC' && key.crv === 'P-256');
  if (!jwk) return { ok: false, problem: 'unknownKey' };
  try {
    const key = await crypto.subtle.importKey('jwk', { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y, ext: true }, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']);
    const signed = new TextEncoder().encode(`${parts[0]}.${parts[1]}`);
    if (!await crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, key, signature, signed)) return { ok: false, problem: 'altered' };
    return { ok: true, payload: JSON.parse(new TextDecoder().decode(payload)), key: jwk };
  } catch {
    return { ok: false, problem: 'altered' };
  }
}

/** The revocation list, if its signature holds against the keys; an unverifiable one counts as none. */
export async function verifyRevocationList(jws: string | undefined, keys: readonly Jwk[]): Promise<RevocationList | undefined> {
  if (!jws) return undefined;
  // Signed by the facility key only: a doctor's key signs prescriptions, never the list.
  const verified = await verifyJws(jws, revocationListType, keys.filter(key => !key.hpr));
  return verified.ok ? verified.payload as RevocationList : undefined;
}

/** The day in India (prescriptions are valid to the end of that day there), as "2026-12-08". */
export function dayInIndia(now: Date): string {
  return new Date(now.getTime() + 330 * 60_000).toISOString().slice(0, 10);
}

/** The verdict on a scanned code from the keys and revocation list kept on this device; no network involved. */
export async function verifyOffline(text: string, keys: readonly Jwk[], revocationJws: string | undefined, now: Date): Promise<OfflineVerdict> {
  const jws = await decodePrescriptionQr(text);
  if (!jws) return { verdict: 'altered' };
  const verified = await verifyJws(jws, prescriptionType, keys);
  if (!verified.ok) return { verdict: verified.problem };
  const prescription = verified.payload as SignedPrescription;
  // A doctor's key revoked before the time the prescription says it was signed proves nothing: it may have been stolen.
  const { hpr, revoked_at: revokedAt } = verified.key;
  if (revokedAt !== undefined && Date.parse(prescription.issuedAt) >= revokedAt * 1000) return { verdict: 'keyRevoked' };
  const revocations = await verifyRevocationList(revocationJws, keys);
  const verdict = revocations?.revoked.includes(prescription.prescriptionId) ? 'revoked'
    : prescription.validUntil < dayInIndia(now) ? 'expired'
      : 'genuine';
  const signer: Signer = hpr ? { by: 'doctor', hprId: hpr } : { by: 'facility' };
  return { verdict, prescription, signer, revocations };
}

/** What this device keeps of the server's keys and revocation list, refreshed whenever the server answers. */
export interface VerificationCache { keys: Jwk[]; revocations?: string }

const cacheKey = 'telemed.pharmacy.verification';

export function cachedVerification(storage: Pick<Storage, 'getItem'> = localStorage): VerificationCache {
  try {
    const cached = JSON.parse(storage.getItem(cacheKey) ?? 'null') as VerificationCache | null;
    return { keys: cached?.keys ?? [], revocations: cached?.revocations };
  } catch {
    return { keys: [] };
  }
}

/** Fetches the published keys and the signed revocation list and keeps them; keeps what it had when the server does not answer. */
export async function refreshVerification(get: (path: string) => Promise<Response> = path => fetch(path, { cache: 'no-store' }),
  storage: Pick<Storage, 'getItem' | 'setItem'> = localStorage): Promise<VerificationCache> {
  const kept = cachedVerification(storage);
  try {
    const [jwks, revocations] = await Promise.all([get('/.well-known/jwks.json'), get('/api/prescriptions/revocations')]);
    if (!jwks.ok || !revocations.ok) return kept;
    const fresh: VerificationCache = { keys: ((await jwks.json()) as { keys: Jwk[] }).keys, revocations: (await revocations.text()).trim() };
    storage.setItem(cacheKey, JSON.stringify(fresh));
    return fresh;
  } catch {
    return kept;
  }
}
