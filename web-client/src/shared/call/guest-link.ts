/** The link a guest opens: the app's page, with the one-time secret after the '#', which browsers never send to a server. */
export function guestLink(token: string, origin: string): string {
  return `${origin}/#guest=${encodeURIComponent(token)}`;
}

/** The secret of the guest link a page was opened with, if it was. */
export function guestToken(hash: string): string | undefined {
  const match = /^#guest=([^&]+)$/.exec(hash);
  return match ? decodeURIComponent(match[1]) : undefined;
}
