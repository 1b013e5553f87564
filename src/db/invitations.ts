import { createHash, randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { InvitationRow, newId, parseRow, parseRows, type Invitation, type MembershipRole } from './rows.js';

/** Invitation and password-reset links are valid this long. */
export const LINK_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;

/** 32 random bytes as base64url (43 characters): the part of the link that grants access. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Only this is stored, so a copy of the database cannot be used to open the links. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export type NewInvitation = {
  purpose: 'invite' | 'reset';
  organizationId: string;
  centerId: string | null;
  role?: MembershipRole | null;
  userId?: string | null;
  personId?: string | null;
  createdByUserId: string | null;
  at: Date;
};

/** Stores a new link and returns its token, which is shown once and never kept. */
export async function createInvitation(db: Knex, input: NewInvitation): Promise<{ invitation: Invitation; token: string }> {
  const token = newToken();
  const row = {
    id: newId(),
    token_hash: hashToken(token),
    purpose: input.purpose,
    organization_id: input.organizationId,
    center_id: input.centerId,
    role: input.role ?? null,
    user_id: input.userId ?? null,
    person_id: input.personId ?? null,
    created_by_user_id: input.createdByUserId,
    created_at: input.at.toISOString(),
    expires_at: new Date(input.at.getTime() + LINK_LIFETIME_MS).toISOString(),
    used_at: null,
  };
  await db('invitations').insert(row);
  return { invitation: InvitationRow.parse(row), token };
}

/** The link's invitation while it is unused and unexpired at `at`; otherwise undefined. */
export async function findUsableInvitation(db: Knex, token: string, purpose: 'invite' | 'reset', at: Date): Promise<Invitation | undefined> {
  const row = await db('invitations')
    .where({ token_hash: hashToken(token), purpose })
    .whereNull('used_at')
    .andWhere('expires_at', '>', at.toISOString())
    .first();
  return parseRow(InvitationRow, row);
}

/** Uses the link once: the conditional update's row count decides who wins a race. */
export async function markInvitationUsed(db: Knex, id: string, at: Date): Promise<boolean> {
  const n = await db('invitations').where({ id }).whereNull('used_at').andWhere('expires_at', '>', at.toISOString()).update({ used_at: at.toISOString() });
  return n === 1;
}

export async function listOpenInvitationsInCenter(db: Knex, centerId: string, at: Date): Promise<Invitation[]> {
  return parseRows(
    InvitationRow,
    await db('invitations')
      .where({ center_id: centerId, purpose: 'invite' })
      .whereNull('used_at')
      .andWhere('expires_at', '>', at.toISOString())
      .orderBy('created_at', 'desc'),
  );
}
