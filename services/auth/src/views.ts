// Rows to wire shapes, in one place: what auth's answers look like is declared in @tracequest/contracts.
import type { Introspection, User } from '@tracequest/contracts';
import type { UserRow } from './user-repository';

export const toUser = (u: UserRow): User => ({ id: u.id, email: u.email, name: u.name });

export const toIntrospection = (u: UserRow, exp: number): Introspection => ({ active: true, sub: u.id, email: u.email, name: u.name, exp });
