import type { HubConnection } from '@microsoft/signalr';
import { Api } from './api';
import { bannerFor, isTrouble, reconnectDelay, type Banner, type HubState, type MediaState } from './connection';
import { applyTranslations, messagesLoaded, onLanguageChange, t } from './i18n';
import { serverReach } from './offline';
import { hubArguments, replyValue, type HubReply } from './server-errors';

/**
 * What every page of the app shares: the API with the signed-in account, the hub connection, the page's elements. The
 * browser's tabs refresh one at a time under a web lock and tell each other of new tokens and of signing out.
 */
export const api = new Api(Date.now, {
  locks: typeof navigator.locks === 'undefined' ? undefined : navigator.locks,
  channel: typeof BroadcastChannel === 'undefined' ? undefined : new BroadcastChannel('telemed.session'),
});

/**
 * What this tab keeps across reloads (sessionStorage), none of it a token: which of the browser's refresh cookies its
 * sign-in is in (`own`, or `acting` while a guardian consults for a family member), and then the guardian's name. A
 * reload gets a fresh access token from that cookie; a new tab starts signed out.
 */
export const storageKeys = { signIn: 'telemed.signin', guardian: 'telemed.guardian' } as const;

/** A key for something that belongs to the signed-in account (the session waited in), so a family member's stays theirs. */
export function accountKey(name: string): string {
  return `${name}.${api.tokens?.accountId ?? ''}`;
}
export const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;

// The page's sections in the order they stand in <main>. index.html holds the sign-in, the patient's and the call's; a
// staff role's section comes with that role's code (addSection), so a patient's page never holds the staff's.
const sections = ['signin', 'patient', 'doctor', 'pharmacy', 'health-worker', 'admin', 'analytics', 'call'] as const;
export type Section = (typeof sections)[number];

/** Shows one section and hides the others; a role's section not yet added has nothing to hide. */
export function show(section: Section) {
  for (const id of sections) {
    const element = document.getElementById(id);
    if (element) element.hidden = id !== section;
  }
}

/**
 * Puts a role's section (its markup, one <section> with a Section id) into <main>, in the current language, before the
 * next section in page order that is there: the layout is the same whichever roles this tab has loaded. Run by the
 * role's first module, before any of its modules looks up its elements; the language switch translates it from then on
 * as it does the whole page.
 */
export function addSection(markup: string) {
  const template = document.createElement('template');
  template.innerHTML = markup.trim();
  const section = template.content.firstElementChild;
  const at = sections.indexOf(section?.id as Section);
  if (!section || at < 0 || template.content.childElementCount !== 1) throw new Error('A role\'s page is one <section> with a known id.');
  if (document.getElementById(section.id)) return;
  applyTranslations(template.content);
  const next = sections.slice(at + 1).map(id => document.getElementById(id)).find(element => element !== null);
  document.querySelector('main')!.insertBefore(section, next ?? null);
}

/**
 * The hubs a signed-in page talks to, one connection each: the live queue (a session's queue, a patient's token) and
 * consultation rooms (signalling, chat, invitations into a room).
 */
export type HubName = 'queue' | 'consultation';
const hubPaths: Record<HubName, string> = { queue: '/hubs/queue', consultation: '/hubs/consultation' };
const connections = new Map<HubName, HubConnection>();

/** One hub's connection, once connected (patients and doctors). */
export function hub(name: HubName): HubConnection {
  const connection = connections.get(name);
  if (!connection) throw new Error(t('error.notConnected'));
  return connection;
}

/**
 * Tells the pages, per hub, when its connection is back ('reconnected': a new connection, so rooms and watched queues
 * must be joined again) or gone for good ('closed': it gave up, or the session ended).
 */
export const hubEvents: Record<HubName, EventTarget> = { queue: new EventTarget(), consultation: new EventTarget() };

/** Opens the page's hub connections side by side. */
export async function connectHubs(names: readonly HubName[]): Promise<void> {
  await Promise.all(names.map(connectHub));
}

async function connectHub(name: HubName): Promise<HubConnection> {
  // The SignalR client is fetched with the first hub: the sign-in page does without it.
  const { HubConnectionBuilder, LogLevel } = await import('@microsoft/signalr');
  let refused: unknown;
  const opened = new HubConnectionBuilder()
    // Negotiated (WebSockets first). With several nodes the load balancer keeps a client on its node (docs/deploy.md).
    // Every (re)connection asks for a current token: one that expired during a long call is refreshed first.
    .withUrl(hubPaths[name], {
      accessTokenFactory: () => api.accessToken().catch((error: unknown) => {
        refused = error;
        throw error;
      }),
    })
    // A short drop resumes the same connection and replays what was sent meanwhile; a longer one (or a lost node)
    // reconnects afresh, and rooms are rejoined.
    .withStatefulReconnect()
    .withAutomaticReconnect({ nextRetryDelayInMilliseconds: retry => reconnectDelay(retry.previousRetryCount, retry.elapsedMilliseconds) })
    .configureLogging(LogLevel.Warning)
    .build();
  opened.onreconnecting(() => setHubState(name, 'reconnecting'));
  opened.onreconnected(() => {
    setHubState(name, 'connected');
    hubEvents[name].dispatchEvent(new Event('reconnected'));
  });
  opened.onclose(() => {
    // A connection replaced or stopped on purpose (the session ended) is not a lost one.
    if (opened !== connections.get(name)) return;
    setHubState(name, 'closed');
    hubEvents[name].dispatchEvent(new Event('closed'));
  });
  connections.set(name, opened);
  try {
    await opened.start();
  } catch (error) {
    // Negotiation wraps a refused token in its own words; the refusal (the session ended) says what happened.
    throw refused ?? error;
  }
  setHubState(name, 'connected');
  return opened;
}

/** Calls a hub method and returns its value; a refusal throws, said in the reader's language. */
export async function hubCommand<T = unknown>(name: HubName, method: string, ...args: unknown[]): Promise<T> {
  return replyValue(await hub(name).invoke<HubReply<T>>(method, ...hubArguments(method, args)), method);
}

// The reconnecting banner: the hubs' state and the call's peer connection's, shown as one message.
const connectionState: { hub: HubState; media: MediaState; offline: boolean; banner: Banner } = { hub: 'connected', media: 'none', offline: false, banner: undefined };
const hubStates = new Map<HubName, HubState>();
let restoredTimer: ReturnType<typeof setTimeout> | undefined;
let troubleTimer: ReturnType<typeof setTimeout> | undefined;
// The hub closes when its access token expires and reconnects at once with a fresh one (every 15 minutes); a drop that
// short is not worth alarming anyone, so trouble shows only when it lasts.
const troubleShownAfterMs = 2000;

/** The hubs together are as bad as the worst of them: one gone for good is lost, one reconnecting is reconnecting. */
function setHubState(name: HubName, state: HubState) {
  hubStates.set(name, state);
  const states = [...hubStates.values()];
  connectionState.hub = states.includes('closed') ? 'closed' : states.includes('reconnecting') ? 'reconnecting' : 'connected';
  renderBanner();
}

/** The call's peer connection state ('none' outside a call), for the banner. */
export function reportMediaState(state: MediaState) {
  connectionState.media = state;
  renderBanner();
}

function renderBanner() {
  const next = bannerFor(connectionState.hub, connectionState.media, isTrouble(connectionState.banner), connectionState.offline);
  if (isTrouble(next) && next !== 'lost' && next !== 'offline' && !isTrouble(connectionState.banner)) {
    troubleTimer ??= setTimeout(() => {
      troubleTimer = undefined;
      const lasting = bannerFor(connectionState.hub, connectionState.media, false, connectionState.offline);
      if (isTrouble(lasting)) showBanner(lasting);
    }, troubleShownAfterMs);
    return;
  }
  clearTimeout(troubleTimer);
  troubleTimer = undefined;
  showBanner(next);
}

function showBanner(banner: Banner) {
  if (banner === connectionState.banner) return;
  connectionState.banner = banner;
  clearTimeout(restoredTimer);
  // "Connected again" is said, then goes: there is nothing more to do.
  if (banner === 'restored') restoredTimer = setTimeout(() => showBanner(undefined), 4000);
  drawBanner();
}

function drawBanner() {
  // Drawn again when the page's language is in (onLanguageChange).
  if (!messagesLoaded()) return;
  const banner = connectionState.banner;
  const element = $('connection-banner');
  element.hidden = banner === undefined;
  element.dataset.state = banner ?? '';
  // Losing the connection for good interrupts; reconnecting and recovering wait for a pause.
  element.setAttribute('aria-live', banner === 'lost' ? 'assertive' : 'polite');
  $('connection-text').textContent = banner ? t(`connection.${banner}`) : '';
  $('connection-reload').hidden = banner !== 'lost';
}

$('connection-reload').addEventListener('click', () => location.reload());
onLanguageChange(drawBanner);

// Whatever the page could not do while offline is done again once the server answers: a hub that gave up meanwhile,
// or a signed-in page that could not start, comes back through a reload, which keeps the session.
let missedWhileOffline = false;

/** The signed-in page could not start for want of a connection: it starts again when the connection is back. */
export function resumeWhenOnline() {
  missedWhileOffline = true;
}

serverReach.onChange(reach => {
  connectionState.offline = reach === 'offline';
  if (reach === 'online' && (missedWhileOffline || connectionState.hub === 'closed')) {
    location.reload();
    return;
  }
  renderBanner();
});
connectionState.offline = serverReach.state === 'offline';
renderBanner();

/** Who is signed in, in the header: their role, the way to sign out, and for staff the way to change their password. */
export function renderSignedIn() {
  const role = api.tokens?.role;
  $('who').textContent = role ? t(`role.${role}`) : '';
  // A guest has no account: nothing to sign out of or to secure.
  $('sign-out').hidden = !role || role === 'guest';
  $('change-password').hidden = !role || role === 'patient' || role === 'guest';
  $('mfa-manage').hidden = !role || role === 'patient' || role === 'guest';
}
onLanguageChange(renderSignedIn);

/** Back to signing in: this tab forgets the account and closes its hub connections. */
export function leaveSession() {
  api.tokens = undefined;
  sessionStorage.removeItem(storageKeys.signIn);
  sessionStorage.removeItem(storageKeys.guardian);
  const stopping = [...connections];
  connections.clear();
  for (const [name, connection] of stopping) {
    hubEvents[name].dispatchEvent(new Event('closed'));
    void connection.stop();
  }
  hubStates.clear();
  connectionState.hub = 'connected';
  reportMediaState('none');
  renderSignedIn();
  show('signin');
}

/**
 * The refresh token was refused (expired, revoked, or the staff idle limit): back to signing in, saying why. A patient's
 * place in the queue lives on the server and the session they waited in stays remembered, so signing in again returns
 * them to the waiting room.
 */
api.onSessionExpired = () => {
  leaveSession();
  $('error').textContent = t('session.expired');
};

/**
 * Signing out ends the sign-in on the server and clears its cookies, then loads the page afresh in place of this one:
 * nothing the signed-in pages showed stays in memory or in the document, for Back or a reload to bring up. The other
 * tabs of the browser leave the same way.
 */
async function signOut() {
  await api.signOut();
  leaveFresh();
}

function leaveFresh() {
  leaveSession();
  location.replace(location.pathname);
}

api.onSignedOutElsewhere = leaveFresh;
$('sign-out').addEventListener('click', () => void failSafely(signOut));

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
