import type { NonEmptyArray } from 'type-graphql';
import { AuthResolver } from './auth.resolver';

/** Every resolver class; one file per area. */
export const resolvers: NonEmptyArray<Function> = [AuthResolver];
