import { GraphQLError } from 'graphql';
import type { AuthChecker } from 'type-graphql';
import type { GraphQLContext } from './context';

/**
 * `@Authorized()` = signed in; `@Authorized('ADMIN')` = admin. Anonymous callers get
 * UNAUTHENTICATED, signed-in callers without the role FORBIDDEN.
 */
export const authChecker: AuthChecker<GraphQLContext> = ({ context }, roles) => {
  if (!context.viewer) {
    throw new GraphQLError('Sign in first.', { extensions: { code: 'UNAUTHENTICATED' } });
  }
  if (roles.length > 0 && !roles.includes(context.viewer.role)) {
    throw new GraphQLError('You are not allowed to do this.', { extensions: { code: 'FORBIDDEN' } });
  }
  return true;
};

export function requireViewer(ctx: GraphQLContext): NonNullable<GraphQLContext['viewer']> {
  if (!ctx.viewer) throw new GraphQLError('Sign in first.', { extensions: { code: 'UNAUTHENTICATED' } });
  return ctx.viewer;
}

export const isAdmin = (ctx: GraphQLContext): boolean => ctx.viewer?.role === 'ADMIN';
