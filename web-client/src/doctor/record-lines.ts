import type { Problem, SafetyWarning } from '../shared/api';

/**
 * Which medicine line each refusal concerns, by index in the prescription as sent (0-based): field errors come as
 * "medicines[i].field", and the TPG 2020 refusals (on saving, and again on signing) as "Line n: why." sentences.
 */
export function medicineLineErrors(problem: Problem | undefined, message = problem?.detail ?? ''): Map<number, string[]> {
  const lines = new Map<number, string[]>();
  const add = (index: number, text: string) => lines.set(index, [...(lines.get(index) ?? []), text]);
  for (const [field, messages] of Object.entries(problem?.errors ?? {})) {
    const match = /^medicines\[(\d+)\]/i.exec(field);
    if (match) for (const text of messages) add(Number(match[1]), text);
  }
  for (const match of message.matchAll(/Line (\d+): (.+?)(?=\s+Line \d+: |$)/gs)) add(Number(match[1]) - 1, match[2].trim());
  return lines;
}

/** The doctor's answer to a safety warning, as the prescription PUT takes it. */
export interface SafetyOverride { code: string; line: number | null; reason: string }

/** Where a warning's reason is kept between saves: the same warning on the same line keeps what the doctor typed. */
export const warningKey = (warning: { code: string; line: number | null }) => `${warning.code}:${warning.line ?? '-'}`;

/** The warnings of a SafetyWarnings refusal (none for any other refusal). */
export function safetyWarnings(problem: Problem | undefined): SafetyWarning[] {
  return problem?.code === 'SafetyWarnings' ? problem.warnings ?? [] : [];
}

/** The overrides to send: each warning shown with the reason typed for it; a warning without a reason is left unanswered. */
export function overridesFor(warnings: SafetyWarning[], reasons: Map<string, string>): SafetyOverride[] {
  return warnings
    .map(warning => ({ code: warning.code, line: warning.line, reason: (reasons.get(warningKey(warning)) ?? '').trim() }))
    .filter(answer => answer.reason !== '');
}

/** Women aged 12 to 50 are asked whether they are pregnant or breastfeeding (the server's child-bearing age). */
export const asksPregnancy = (age: number, sex: string) => sex.toLowerCase() === 'female' && age >= 12 && age <= 50;

/** A minor's prescription names the adult who came with them. */
export const isMinor = (age: number) => age < 18;
