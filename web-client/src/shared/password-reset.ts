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
