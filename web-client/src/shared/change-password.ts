import { $, api, leaveSession } from './app';
import { ApiError } from './api';
import { onLanguageChange, t, type MessageKey } from './i18n';
import { passwordChangeProblems, passwordChangeRefusal, type PasswordChangeField } from './password-reset';

/**
 * "Change password" in the header, for every signed-in staff member. The server ends every session of the account
 * on a change, so this tab goes back to signing in, saying so.
 */

const fields: Record<PasswordChangeField, string> = {
  currentPassword: 'password-current', newPassword: 'password-new', repeatPassword: 'password-repeat',
};
// What the form says now, kept so a language switch can say it again.
let shown: Partial<Record<PasswordChangeField, MessageKey>> = {};
let failed: (() => string) | undefined;

function render() {
  for (const [field, id] of Object.entries(fields) as [PasswordChangeField, string][]) {
    const key = shown[field];
    $(`${id}-error`).textContent = key ? t(key) : '';
    if (key) $(id).setAttribute('aria-invalid', 'true');
    else $(id).removeAttribute('aria-invalid');
  }
  $('password-failed').textContent = failed?.() ?? '';
}

function showProblems(problems: typeof shown, reason?: () => string) {
  shown = problems;
  failed = reason;
  render();
  const first = (Object.keys(fields) as PasswordChangeField[]).find(field => problems[field]);
  if (first) $(fields[first]).focus();
}

async function change() {
  const value = (field: PasswordChangeField) => $<HTMLInputElement>(fields[field]).value;
  const problems = passwordChangeProblems(value('currentPassword'), value('newPassword'), value('repeatPassword'));
  if (Object.keys(problems).length > 0) return showProblems(problems);
  const save = $<HTMLButtonElement>('password-save');
  save.disabled = true;
  try {
    await api.post('/api/auth/password', { currentPassword: value('currentPassword'), newPassword: value('newPassword') });
  } catch (error) {
    const refusal = error instanceof ApiError ? passwordChangeRefusal(error.fields) : {};
    const reason = (error as Error).message;
    return showProblems(refusal, Object.keys(refusal).length > 0 ? undefined : () => t('password.failed', { reason }));
  } finally {
    save.disabled = false;
  }
  $<HTMLDialogElement>('password-dialog').close();
  leaveSession();
  $('signin-status').textContent = t('password.changed');
  $('email').focus();
}

export function startPasswordChange() {
  const dialog = $<HTMLDialogElement>('password-dialog');
  const form = $<HTMLFormElement>('password-form');
  $('change-password').addEventListener('click', () => {
    form.reset();
    showProblems({});
    dialog.showModal();
  });
  $('password-cancel').addEventListener('click', () => dialog.close());
  dialog.addEventListener('close', () => {
    form.reset();
    showProblems({});
    // Back where it was opened, unless the change ended the session.
    if (api.tokens) $('change-password').focus();
  });
  form.addEventListener('submit', event => {
    event.preventDefault();
    void change();
  });
  onLanguageChange(() => {
    render();
    // Only a password change writes this line (signing in empties it).
    if ($('signin-status').textContent) $('signin-status').textContent = t('password.changed');
  });
}
