import { HttpTransportType, HubConnectionBuilder, LogLevel, type HubConnection } from '@microsoft/signalr';
import { Api } from './api';
import { t } from './i18n';
import { serverMessage } from './server-errors';

/** What every page of the app shares: the API with the signed-in account, the hub connection, the page's elements. */
export const api = new Api();
export const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;

const sections = ['signin', 'patient', 'doctor', 'pharmacy', 'admin', 'analytics', 'call'] as const;
export type Section = (typeof sections)[number];

export function show(section: Section) {
  for (const id of sections) $(id).hidden = id !== section;
}

let connection: HubConnection | undefined;

/** The clinic hub, once connected (patients and doctors). */
export function hub(): HubConnection {
  if (!connection) throw new Error(t('error.notConnected'));
  return connection;
}

export async function connectHub(): Promise<HubConnection> {
  connection = new HubConnectionBuilder()
    // WebSockets only, no negotiate round trip: the connection then lives on the one node it opened on, so several nodes
    // behind a round-robin balancer need no sticky sessions (docs/deploy.md). Rooms survive drops by rejoining.
    .withUrl('/hubs/clinic', { accessTokenFactory: () => api.tokens!.accessToken, skipNegotiation: true, transport: HttpTransportType.WebSockets })
    .withAutomaticReconnect()
    .configureLogging(LogLevel.Warning)
    .build();
  await connection.start();
  return connection;
}

/** The clinic hub's answer to a call: a value, or a refusal with a stable code and the server's sentence. */
export interface HubReply<T> { ok: boolean; value?: T; error?: { code: string; message: string } }

/** Calls a hub method and returns its value; a refusal throws, said in the reader's language. */
export async function hubCommand<T = unknown>(method: string, ...args: unknown[]): Promise<T> {
  const reply = await hub().invoke<HubReply<T>>(method, ...args);
  if (!reply.ok) throw new Error(serverMessage(reply.error?.code, reply.error?.message ?? method));
  return reply.value as T;
}

/** Runs a user action; a failure is shown in the page's alert line instead of being lost. */
export async function failSafely(action: () => Promise<void>) {
  try {
    $('error').textContent = '';
    await action();
  } catch (error) {
    $('error').textContent = (error as Error).message;
  }
}

export interface Session { id: string; specialty?: string; doctors: { name: string }[]; waiting: number; status: string }

/** A list item with the button that opens a session (to check in, or to run its queue). */
export function sessionButton(session: Session, text: string, open: () => Promise<void>) {
  const item = document.createElement('li');
  const button = Object.assign(document.createElement('button'), { textContent: text });
  button.dataset.session = session.id;
  button.addEventListener('click', () => void failSafely(open));
  item.append(button);
  return item;
}
