import { Api, ApiError } from './api';
import { currentLanguage, onLanguageChange, startI18n, t, type MessageKey } from './i18n';
import { passwordProblem, resetToken } from './password-reset';

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const api = new Api();
const token = resetToken(location.search);
// What the page says after a request, kept so a language switch can say it again.
let done: MessageKey | undefined;

function render() {
  $('ask-form').hidden = token !== undefined || done !== undefined;
  $('choose-form').hidden = token === undefined || done !== undefined;
  $('done').hidden = done === undefined;
  if (done) $('done').textContent = t(done);
}

async function submit(event: Event, action: () => Promise<MessageKey | undefined>) {
  event.preventDefault();
  $('error').textContent = '';
  try {
    done = await action();
  } catch (error) {
    $('error').textContent = error instanceof ApiError || error instanceof Error ? error.message : String(error);
  }
  render();
}

$('ask-form').addEventListener('submit', event => void submit(event, async () => {
  await api.post('/api/auth/password-reset', { email: $<HTMLInputElement>('reset-email').value, language: currentLanguage() });
  return 'reset.sent';
}));

$('choose-form').addEventListener('submit', event => void submit(event, async () => {
  const password = $<HTMLInputElement>('new-password').value;
  const problem = passwordProblem(password, $<HTMLInputElement>('repeat-password').value);
  if (problem) throw new Error(t(problem));
  await api.post('/api/auth/password-reset/complete', { token, newPassword: password });
  return 'reset.saved';
}));

await startI18n();
onLanguageChange(render);
render();
