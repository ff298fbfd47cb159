import { describe, expect, it } from 'vitest';
import { networkPathOf } from './precheck';

describe('networkPathOf', () => {
  it('prefers a relay', () => expect(networkPathOf(['host', 'srflx', 'relay'])).toBe('relay'));
  it('reports a direct path from host or reflexive candidates', () => expect(networkPathOf(['host'])).toBe('direct'));
  it('reports no path without candidates', () => expect(networkPathOf([])).toBe('none'));
});
