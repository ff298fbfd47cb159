import type { Role } from './negotiation';

/** A file or photo shared in the call, as the server announces it (FileShared) and lists it. */
export interface SharedFile {
  id: string;
  consultationId: string;
  fileName: string;
  contentType: string;
  size: number;
  sharedBy: string;
  role: Role | null;
  at: string;
}

/** What the file picker offers: what the server keeps (the bytes decide, the picker only helps). */
export const shareableTypes = 'image/jpeg,image/png,image/webp,application/pdf';

/** The call's shared files, in the order they were shared; each once, however it arrived (push, list, own upload). */
export class SharedFiles {
  private readonly byId = new Map<string, SharedFile>();

  get entries(): SharedFile[] {
    return [...this.byId.values()].sort((a, b) => a.at.localeCompare(b.at));
  }

  /** False when it was known already. */
  add(file: SharedFile): boolean {
    if (this.byId.has(file.id)) return false;
    this.byId.set(file.id, file);
    return true;
  }
}

/** Kilobytes for the list, never "0 KB" for a small file. */
export function kilobytes(size: number): number {
  return Math.max(1, Math.round(size / 1024));
}
