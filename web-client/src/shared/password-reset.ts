import type { MessageKey } from './i18n';

/** The reset token from the e-mailed link (`/reset-password?token=…`), or undefined on the page that asks for one. */
export function resetToken(search: string): string | undefined {
  const token = new URLSearchParams(search).get('token')?.trim();
  return token ? token : undefined;
}

export const minPasswordLength = 10;

/** What is wrong with the new password as typed twice, before the server is asked (it checks again). */
export function passwordProblem(password: string, repeated: string): MessageKey | undefined {
  if (password.length < minPasswordLength) return 'reset.tooShort';
  if (password !== repeated) return 'reset.mismatch';
  return undefined;
}

export type PasswordChangeField = 'currentPassword' | 'newPassword' | 'repeatPassword';

/** What is wrong with a password change as typed, before the server is asked (it checks the rest). */
export function passwordChangeProblems(current: string, password: string, repeated: string): Partial<Record<PasswordChangeField, MessageKey>> {
  const problems: Partial<Record<PasswordChangeField, MessageKey>> = {};
  if (current === '') problems.currentPassword = 'password.currentMissing';
  if (password !== repeated) problems.repeatPassword = 'reset.mismatch';
  return problems;
}

/**
 * The server's refusal of a password change (problem details' invalid fields) in the reader's words: the server says
 * which field is wrong; the page says it in the reader's language.
 */
export function passwordChangeRefusal(fields: Record<string, string[]>): Partial<Record<PasswordChangeField, MessageKey>> {
  const problems: Partial<Record<PasswordChangeField, MessageKey>> = {};
  if (fields.currentPassword?.length) problems.currentPassword = 'password.currentWrong';
  if (fields.newPassword?.length) problems.newPassword = 'password.weak';
  return problems;
}
