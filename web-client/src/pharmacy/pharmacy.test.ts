import { describe, expect, it } from 'vitest';
import { cameraProblem, dispenseLines, prescriptionIdFrom, receiptBody, thresholdBody } from './pharmacy';

describe('prescriptionIdFrom', () => {
  it('reads the id in a verification link', () =>
    expect(prescriptionIdFrom('https://telemed.example.in/verify/0193A000-0000-7000-8000-0000000000AA')).toBe('0193a000-0000-7000-8000-0000000000aa'));
  it('accepts a bare id', () => expect(prescriptionIdFrom(' 0193a000-0000-7000-8000-0000000000aa ')).toBe('0193a000-0000-7000-8000-0000000000aa'));
  it('refuses anything else', () => expect(prescriptionIdFrom('paracetamol')).toBeUndefined());
});

describe('dispenseLines', () => {
  it('sends only the lines with a quantity, without empty brand or batch', () =>
    expect(dispenseLines([
      { line: 0, quantity: '6', brand: ' Crocin ', batch: '' },
      { line: 1, quantity: '', brand: 'x', batch: 'y' },
    ])).toEqual([{ line: 0, quantity: 6, brand: 'Crocin', batch: undefined }]));
});

describe('cameraProblem', () => {
  it('tells a refused permission from a missing camera', () => {
    expect(cameraProblem({ name: 'NotAllowedError' })).toBe('pharmacy.cameraDenied');
    expect(cameraProblem({ name: 'NotFoundError' })).toBe('pharmacy.noCamera');
    expect(cameraProblem(new Error('boom'))).toBe('pharmacy.cameraFailed');
  });
});

describe('receiptBody', () => {
  it('sends a trimmed receipt with a number for its quantity, leaving out a blank batch and expiry', () => {
    expect(receiptBody({ generic: ' paracetamol ', strength: '500 mg ', form: 'tablet', quantity: '20', batch: ' ', expiresOn: '' }, 'r-1'))
      .toEqual({ receiptId: 'r-1', generic: 'paracetamol', strength: '500 mg', form: 'tablet', quantity: 20, batch: undefined, expiresOn: undefined });
    expect(receiptBody({ generic: 'paracetamol', strength: '500 mg', form: 'tablet', quantity: '5', batch: 'B-1', expiresOn: '2030-06-30' }, 'r-2'))
      .toMatchObject({ batch: 'B-1', expiresOn: '2030-06-30' });
  });
});

describe('thresholdBody', () => {
  it('sends a trimmed threshold with a number for its minimum, 0 included', () => {
    expect(thresholdBody({ generic: ' paracetamol ', strength: '500 mg ', form: ' tablet', minimum: '15' }))
      .toEqual({ generic: 'paracetamol', strength: '500 mg', form: 'tablet', minimum: 15 });
    expect(thresholdBody({ generic: 'paracetamol', strength: '500 mg', form: 'tablet', minimum: '0' })).toMatchObject({ minimum: 0 });
  });
  it('leaves out a blank minimum, for the server to name it', () =>
    expect(thresholdBody({ generic: 'paracetamol', strength: '500 mg', form: 'tablet', minimum: ' ' }).minimum).toBeUndefined());
});
