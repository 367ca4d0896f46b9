import { isId } from '../shared/ids';

/**
 * Opaque keyset cursor over (createdAt, id): stable under inserts, unlike
 * offsets. Any connection ordered that way (products, orders) can share it.
 */
export interface CreationPosition {
  createdAt: Date;
  id: string;
}

export function encodeCursor(position: CreationPosition): string {
  return Buffer.from(`${position.createdAt.getTime()}:${position.id}`, 'utf8').toString('base64url');
}

/** null when the text is not a cursor this server issued. */
export function decodeCursor(cursor: string): CreationPosition | null {
  if (cursor.length > 100) return null;
  const match = /^(\d{1,15}):(.+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match || !isId(match[2])) return null;
  const createdAt = new Date(Number(match[1]));
  return Number.isNaN(createdAt.getTime()) ? null : { createdAt, id: match[2] };
}
