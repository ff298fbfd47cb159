import type { MessageKey } from '../shared/i18n';

/** What check-in accepts (Domain/Queue/AttachmentRules.cs, SessionRules.MaxComplaintLength): checked here first so a patient on a slow line is not made to upload 15 MB to hear "too large". */
export const checkInRules = {
  maxComplaintLength: 2000,
  maxFiles: 3,
  maxBytes: 5 * 1024 * 1024,
  types: ['image/jpeg', 'image/png', 'image/webp', 'application/pdf'],
} as const;

/** For the file picker: the types by MIME type and by extension (some phones report no type for a PDF). */
export const attachmentAccept = [...checkInRules.types, '.jpg', '.jpeg', '.png', '.webp', '.pdf'].join(',');

export interface FileFacts { name: string; size: number; type: string }
export interface Problem { key: MessageKey; params?: Record<string, string | number> }

const byExtension: Record<string, string> = { jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp', pdf: 'application/pdf' };

function typeOf(file: FileFacts): string | undefined {
  if (file.type) return file.type;
  return byExtension[file.name.split('.').pop()?.toLowerCase() ?? ''];
}

/**
 * The adult named to come with the patient: needed for a minor (TPG 2020) unless the guardian acting for them comes,
 * whom the server records itself.
 */
export interface Companion { needed: boolean; name: string; relation: string }

/** Everything wrong with what the patient is about to send; empty when it may go. The server checks the file contents again. */
export function checkInProblems(complaint: string, files: readonly FileFacts[], companion?: Companion): Problem[] {
  const problems: Problem[] = [];
  if (companion?.needed && (!companion.name.trim() || !companion.relation)) problems.push({ key: 'patient.companion.required' });
  if (complaint.trim().length > checkInRules.maxComplaintLength) {
    problems.push({ key: 'patient.checkin.complaintTooLong', params: { max: checkInRules.maxComplaintLength } });
  }
  if (files.length > checkInRules.maxFiles) {
    problems.push({ key: 'patient.checkin.tooManyFiles', params: { max: checkInRules.maxFiles, count: files.length } });
    return problems;
  }
  for (const file of files) {
    if (file.size === 0) problems.push({ key: 'patient.checkin.emptyFile', params: { name: file.name } });
    else if (file.size > checkInRules.maxBytes) problems.push({ key: 'patient.checkin.fileTooLarge', params: { name: file.name, max: checkInRules.maxBytes / 1024 / 1024 } });
    else if (!(checkInRules.types as readonly string[]).includes(typeOf(file) ?? '')) problems.push({ key: 'patient.checkin.fileType', params: { name: file.name } });
  }
  return problems;
}

/**
 * JSON when there is nothing to upload (smaller, and what most check-ins are); multipart with the files otherwise. A
 * companion goes only when needed and named.
 */
export function checkInBody(complaint: string, files: readonly File[], companion?: Companion): FormData | { complaint?: string; accompaniedBy?: { name: string; relation: string } } {
  const text = complaint.trim() || undefined;
  const accompaniedBy = companion?.needed ? { name: companion.name.trim(), relation: companion.relation } : undefined;
  if (files.length === 0) return { complaint: text, accompaniedBy };
  const form = new FormData();
  if (text) form.append('complaint', text);
  if (accompaniedBy) {
    form.append('accompaniedBy.name', accompaniedBy.name);
    form.append('accompaniedBy.relation', accompaniedBy.relation);
  }
  for (const file of files) form.append('attachments', file, file.name);
  return form;
}

/** A token's place as the server told it: each carries the session's version when it was computed. */
export interface TokenNews { sessionId: string; token: number; version: number }

/**
 * Whether news of the token on screen is older than what the screen shows. The server hands each patient's pushes over
 * in order, but the "you moved up" updates go out a few milliseconds later and apart from the urgent ones, and a fresh
 * look after a reconnect can cross a push: the older of two changes nothing.
 */
export function isOlder(news: TokenNews, shown: TokenNews | undefined): boolean {
  return shown !== undefined && news.sessionId === shown.sessionId && news.token === shown.token && news.version < shown.version;
}
