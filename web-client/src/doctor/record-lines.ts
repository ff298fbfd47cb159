import type { Problem } from '../shared/api';

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
