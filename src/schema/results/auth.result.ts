import { createUnionType } from 'type-graphql';
import { UserError } from '../types/common.type';
import { AuthPayload } from '../types/customer.type';

export const AuthResult = createUnionType({ name: 'AuthResult', types: () => [AuthPayload, UserError] as const });
