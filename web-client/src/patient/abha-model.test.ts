import { describe, expect, it } from 'vitest';
import { aadhaarProblem, addressChoice, identifierProblem, otpLooksRight, statusLines, verifyRequest, type AbhaStatus } from './abha-model';

const verified = {
  number: '91-1111-2222-3333', address: 'priya.sharma@sbx', name: 'Priya Sharma', yearOfBirth: 1988, sex: 'female',
  proof: 'mobileOtp', verifiedAt: '2026-03-01T10:00:00Z', recordLinking: 'ready',
} as const;

describe('ABHA verification', () => {
  it('sends an address as an address and anything else as the number', () => {
    expect(verifyRequest(' priya.sharma@sbx ', 'mobile')).toEqual({ abhaAddress: 'priya.sharma@sbx', otpVia: 'mobile' });
    expect(verifyRequest('91-1111-2222-3333', 'aadhaar')).toEqual({ abhaNumber: '91-1111-2222-3333', otpVia: 'aadhaar' });
  });

  it('says what is wrong with an identifier before anything is sent', () => {
    expect(identifierProblem('')).toBe('abha.problem.identifierRequired');
    expect(identifierProblem('9111112222')).toBe('abha.problem.identifierShape');
    expect(identifierProblem('91111122223333')).toBeUndefined();
    expect(identifierProblem('91-1111-2222-3333')).toBeUndefined();
    expect(identifierProblem('x@sbx')).toBeUndefined();
  });

  it('takes twelve Aadhaar digits with spaces, not starting 0 or 1, and six-digit OTPs', () => {
    expect(aadhaarProblem('2345 6789 0124')).toBeUndefined();
    expect(aadhaarProblem('1234 5678 9012')).toBe('abha.problem.aadhaarShape');
    expect(aadhaarProblem('2345 6789')).toBe('abha.problem.aadhaarShape');
    expect(otpLooksRight(' 123456 ')).toBe(true);
    expect(otpLooksRight('12345')).toBe(false);
  });
});

describe('ABHA status', () => {
  it('shows the verified ABHA and how it was proved, and a different declared one apart', () => {
    const status: AbhaStatus = { abdmAvailable: true, verified, declared: { number: '91-9999-8888-7777' } };
    expect(statusLines(status).map(line => line.key)).toEqual(['abha.verified', 'abha.proof.mobileOtp', 'abha.declared']);
  });

  it('does not repeat a declared ABHA that is the verified one', () => {
    const status: AbhaStatus = { abdmAvailable: true, verified, declared: { number: verified.number, address: verified.address } };
    expect(statusLines(status).map(line => line.key)).toEqual(['abha.verified', 'abha.proof.mobileOtp']);
  });

  it('says when there is none, and when ABDM is not available here', () => {
    expect(statusLines({ abdmAvailable: false }).map(line => line.key)).toEqual(['abha.none', 'abha.unavailable']);
  });
});

describe('addressChoice', () => {
  it('takes a picked suggestion unless the patient typed their own', () => {
    expect(addressChoice('', 'anita.kulkarni@sbx')).toEqual({ address: 'anita.kulkarni@sbx' });
    expect(addressChoice(' Anita_K1993 ', 'anita.kulkarni@sbx')).toEqual({ address: 'anita_k1993' });
    expect(addressChoice('anita_k1993@abdm', undefined)).toEqual({ address: 'anita_k1993' });
  });

  it('names what is wrong with a typed address, as ABDM would', () => {
    expect(addressChoice('', undefined)).toEqual({ problem: 'abha.problem.addressRequired' });
    for (const bad of ['anita', 'a'.repeat(19), '.anitakulkarni', 'anitakulkarni_', 'a.nita.kulkarni', 'anita kulkarni']) {
      expect(addressChoice(bad, undefined)).toEqual({ problem: 'abha.problem.addressShape' });
    }
  });
});
