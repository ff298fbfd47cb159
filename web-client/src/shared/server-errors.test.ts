import { describe, expect, it } from 'vitest';
import { hubArguments, serverMessage } from './server-errors';

describe('serverMessage', () => {
  it('keeps the server\'s own sentence in English', () =>
    expect(serverMessage('DoctorBusy', 'Token 3 is still in consultation with you; complete or skip it first.', 'en'))
      .toBe('Token 3 is still in consultation with you; complete or skip it first.'));

  it('says a known refusal in Hindi', () =>
    expect(serverMessage('SessionFull', 'This OPD session is full (20 patients).', 'hi')).toBe('यह ओपीडी सत्र भर गया है। कोई दूसरा सत्र चुनें।'));

  it('falls back to the server\'s sentence for a code it does not know', () => {
    expect(serverMessage('SomethingNew', 'Something new went wrong.', 'hi')).toBe('Something new went wrong.');
    expect(serverMessage(undefined, 'No code.', 'hi')).toBe('No code.');
  });
});

describe('hubArguments', () => {
  it('passes complete arguments on, nulls included', () =>
    expect(hubArguments('StartConsultation', ['a-session', 3, null], 'en')).toEqual(['a-session', 3, null]));

  it('refuses a missing argument in the reader\'s words before anything is sent', () => {
    expect(() => hubArguments('StartConsultation', ['a-session', undefined], 'en')).toThrow('This page is not ready for that yet. Wait a moment and try again.');
    expect(() => hubArguments('StartConsultation', [undefined], 'hi')).toThrow('यह पेज अभी इसके लिए तैयार नहीं है। थोड़ा रुककर फिर से कोशिश करें।');
  });
});
