// TypeBox pieces the portal's routes share.
import { Type } from '@sinclair/typebox';

/** App-generated ids; longer input is refused by the schema before any lookup. */
export const Id = Type.String({ minLength: 1, maxLength: 64 });
export const Page = Type.String({ pattern: '^[1-9][0-9]{0,4}$' });
export const csrf = { _csrf: Type.Optional(Type.String({ maxLength: 128 })) };

export function pageOf(p: string | undefined): number {
  return p ? Number(p) : 1;
}
