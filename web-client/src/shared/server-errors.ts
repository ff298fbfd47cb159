import { currentLanguage, isMessageKey, t, type Language } from './i18n';

/**
 * A refusal from the server in the reader's language. The server words its refusals in English, with a stable code
 * (hub replies' `error.code`, problem details' `code`): in English its sentence is shown as it is (it names the token,
 * the time…); in another language a code we know has its own words, and an unknown one falls back to the server's.
 */
export function serverMessage(code: string | undefined, message: string, lang: Language = currentLanguage()): string {
  if (lang === 'en' || !code) return message;
  const key = `serverError.${code}`;
  return isMessageKey(key) ? t(key, {}, lang) : message;
}

/** A hub's answer to a call: a value, or a refusal with a stable code and the server's sentence. */
export interface HubReply<T> { ok: boolean; value?: T; error?: { code: string; message: string } }

/** A hub's refusal, said in the reader's language, with the server's stable code for callers that act on it. */
export class HubRefusal extends Error {
  constructor(readonly code: string | undefined, message: string) {
    super(message);
  }
}

/** The value of a hub reply; a refusal throws a {@link HubRefusal}, said in the reader's language. */
export function replyValue<T>(reply: HubReply<T>, method: string): T {
  if (!reply.ok) throw new HubRefusal(reply.error?.code, serverMessage(reply.error?.code, reply.error?.message ?? `${method} failed`));
  return reply.value as T;
}

/**
 * The arguments of a hub call, refused when one is missing: SignalR cannot bind a missing argument, and the server's
 * answer would be only "an error on the server", with nothing to say which value the page did not have yet.
 */
export function hubArguments(method: string, args: unknown[], lang: Language = currentLanguage()): unknown[] {
  const missing = args.findIndex(arg => arg === undefined);
  if (missing >= 0) {
    console.error(`${method}: argument ${missing + 1} is missing`);
    throw new Error(t('app.notReady', {}, lang));
  }
  return args;
}
