import { describe, expect, it } from 'vitest';
import { heardLevel, levelOf, networkPathOf, precheckAdvice, roundedMbps, speedOf } from './precheck';

describe('networkPathOf', () => {
  it('prefers a relay', () => expect(networkPathOf(['host', 'srflx', 'relay'])).toBe('relay'));
  it('reports a direct path from host or reflexive candidates', () => expect(networkPathOf(['host'])).toBe('direct'));
  it('reports no path without candidates', () => expect(networkPathOf([])).toBe('none'));
});

describe('levelOf', () => {
  const tone = (amplitude: number) => Array.from({ length: 512 }, (_, i) => amplitude * Math.sin(i / 5));

  it('is empty for silence and full for a full-scale signal', () => {
    expect(levelOf(new Float32Array(512))).toBe(0);
    expect(levelOf(Array(512).fill(1))).toBe(1);
  });

  it('rises with loudness on a decibel scale', () => {
    const quiet = levelOf(tone(0.01));
    const speech = levelOf(tone(0.1));
    expect(quiet).toBeGreaterThan(heardLevel);
    expect(speech).toBeGreaterThan(quiet);
    // Ten times the amplitude is 20 dB, a third of the bar.
    expect(speech - quiet).toBeCloseTo(1 / 3, 2);
  });

  it('does not count the hiss of a silent room as hearing', () => {
    expect(levelOf(tone(0.0005))).toBeLessThan(heardLevel);
  });
});

describe('precheckAdvice', () => {
  it('puts the microphone first: without it there is no consultation', () => {
    expect(precheckAdvice(false, false, 'none')).toBe('precheck.advice.noMicrophone');
  });

  it('then the network', () => expect(precheckAdvice(true, true, 'none')).toBe('precheck.advice.noNetwork'));
  it('then the camera', () => expect(precheckAdvice(false, true, 'relay')).toBe('precheck.advice.noCamera'));
  it('tells a direct path from a relay', () => {
    expect(precheckAdvice(true, true, 'direct')).toBe('precheck.advice.direct');
    expect(precheckAdvice(true, true, 'relay')).toBe('precheck.advice.relay');
  });
});

describe('speedOf', () => {
  it('turns a timed download into megabits a second', () => {
    expect(speedOf(512 * 1024, 1000).mbps).toBeCloseTo(4.19, 2);
  });

  it('says what the speed means for a call', () => {
    expect(speedOf(512 * 1024, 1000).level).toBe('good');
    expect(speedOf(512 * 1024, 5000).level).toBe('fair');
    expect(speedOf(512 * 1024, 20000).level).toBe('slow');
  });

  it('rounds as people say it', () => {
    expect(roundedMbps(4.19)).toBe('4.2');
    expect(roundedMbps(0.04)).toBe('0.1');
    expect(roundedMbps(23.6)).toBe('24');
  });
});
