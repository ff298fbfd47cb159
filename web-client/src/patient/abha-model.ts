import type { MessageKey } from '../shared/i18n';

/** How an ABHA was proved before Telemed linked it. */
export type AbhaProof = 'mobileOtp' | 'aadhaarOtp' | 'createdWithAadhaar' | 'scanAndShare';

export interface VerifiedAbha {
  number: string; address?: string | null; name: string; yearOfBirth: number; sex: string; proof: AbhaProof; verifiedAt: string;
  recordLinking: 'notRequested' | 'waiting' | 'ready' | 'refused' | 'timedOut';
}

/** GET /api/me/abha: the ABHA the patient declared (unverified) and the one they proved through ABDM, kept apart. */
export interface AbhaStatus {
  abdmAvailable: boolean;
  declared?: { number?: string | null; address?: string | null } | null;
  verified?: VerifiedAbha | null;
}

/** A verification or creation in progress: the step it waits for, and ABDM's words on where the OTP went. */
export interface AbhaJourney { id: string; step: 'otp' | 'mobileOtp' | 'linked' | 'ended'; sentTo: string; expiresAt: string; abha?: AbhaStatus | null }

export type OtpVia = 'mobile' | 'aadhaar';

/** GET /api/me/abha/journeys/{id}/addresses: the addresses ABDM offers a new ABHA, in full (name@abdm). */
export interface AddressSuggestions { addresses: string[] }

/**
 * The address the patient settled on: one they typed (only the part before @ counts) over a suggestion they picked.
 * ABDM's rule: 8 to 18 letters or digits, at most one dot and one underscore, neither first nor last.
 */
export function addressChoice(typed: string, picked: string | undefined): { address: string } | { problem: MessageKey } {
  const own = typed.trim().toLowerCase().split('@')[0];
  if (own === '') return picked ? { address: picked } : { problem: 'abha.problem.addressRequired' };
  const fits = /^[a-z0-9](?:[a-z0-9._]{6,16})[a-z0-9]$/.test(own) && own.split('.').length <= 2 && own.split('_').length <= 2;
  return fits ? { address: own } : { problem: 'abha.problem.addressShape' };
}

/** An ABHA address has an @ (name@abdm); anything else is taken for the 14-digit number. */
export function verifyRequest(identifier: string, via: OtpVia): { abhaNumber?: string; abhaAddress?: string; otpVia: OtpVia } {
  const value = identifier.trim();
  return value.includes('@') ? { abhaAddress: value, otpVia: via } : { abhaNumber: value, otpVia: via };
}

/** What is wrong with a typed identifier before anything is sent; the server checks again, and more. */
export function identifierProblem(identifier: string): MessageKey | undefined {
  const value = identifier.trim();
  if (value === '') return 'abha.problem.identifierRequired';
  if (value.includes('@')) return undefined;
  return /^\d{2}-?\d{4}-?\d{4}-?\d{4}$/.test(value) ? undefined : 'abha.problem.identifierShape';
}

/** Twelve digits, spaces allowed; the check digit is the server's to check. */
export function aadhaarProblem(aadhaar: string): MessageKey | undefined {
  const digits = aadhaar.replace(/[\s-]/g, '');
  return /^[2-9]\d{11}$/.test(digits) ? undefined : 'abha.problem.aadhaarShape';
}

export const otpLooksRight = (otp: string) => /^\d{6}$/.test(otp.trim());

/** What the section says of the patient's ABHA, line by line. */
export function statusLines(status: AbhaStatus): { key: MessageKey; params?: Record<string, string | number> }[] {
  const lines: { key: MessageKey; params?: Record<string, string | number> }[] = [];
  const verified = status.verified;
  if (verified) {
    lines.push({ key: 'abha.verified', params: { number: verified.number, address: verified.address ?? '—' } });
    lines.push({ key: `abha.proof.${verified.proof}` });
  }
  const declared = status.declared;
  if (declared && (declared.number || declared.address) && (declared.number !== verified?.number || declared.address !== verified?.address)) {
    lines.push({ key: 'abha.declared', params: { abha: [declared.number, declared.address].filter(Boolean).join(', ') } });
  }
  if (!verified && !declared?.number && !declared?.address) lines.push({ key: 'abha.none' });
  if (!status.abdmAvailable) lines.push({ key: 'abha.unavailable' });
  return lines;
}

/** A request to ABDM that has not answered in this long is said to be waiting on ABDM (it retries for a while). */
export const slowAfterMs = 1500;
