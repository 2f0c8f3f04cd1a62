// Rows to wire shapes, in one place: what auth's answers look like is declared in @tracequest/contracts.
import type { User } from '@tracequest/contracts';
import type { UserRow } from './user-repository';

export const toUser = (u: UserRow): User => ({ id: u.id, email: u.email, name: u.name });
