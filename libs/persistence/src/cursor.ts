/**
 * Keyset pagination cursors: an opaque token for the (created_at, id) of the last row of a page. created_at is kept
 * as PostgreSQL's text form, at full microsecond precision, so no row is skipped between pages.
 */
export class InvalidCursorError extends Error {
  readonly code = 'INVALID_CURSOR';
  constructor() {
    super('cursor is not a cursor this API returned');
  }
}

export function encodeCursor(createdAt: string, id: string): string {
  return Buffer.from(JSON.stringify([createdAt, id])).toString('base64url');
}

export function decodeCursor(cursor: string): [string, string] {
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, string];
    if (typeof createdAt !== 'string' || Number.isNaN(Date.parse(createdAt))) throw new Error('bad time');
    if (typeof id !== 'string' || !/^[0-9a-f-]{36}$/.test(id)) throw new Error('bad id');
    return [createdAt, id];
  } catch {
    throw new InvalidCursorError();
  }
}
