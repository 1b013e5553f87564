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

/** The link's invitation while it is unused, unrevoked and unexpired at `at`; otherwise undefined. */
export async function findUsableInvitation(db: Knex, token: string, purpose: 'invite' | 'reset', at: Date): Promise<Invitation | undefined> {
  const row = await open(db('invitations').where({ token_hash: hashToken(token), purpose }), at).first();
  return parseRow(InvitationRow, row);
}

/** Uses the link once: the conditional update's row count decides who wins a race (with another use, or a revocation). */
export async function markInvitationUsed(db: Knex, id: string, at: Date): Promise<boolean> {
  const n = await open(db('invitations').where({ id }), at).update({ used_at: at.toISOString() });
  return n === 1;
}

/** Unused, unrevoked and unexpired at `at`. */
function open(q: Knex.QueryBuilder, at: Date): Knex.QueryBuilder {
  return q.whereNull('used_at').whereNull('revoked_at').andWhere('expires_at', '>', at.toISOString());
}

/** An open invitation, with who it is for (the person on file, if named) and who made it. */
export type OpenInvitation = Invitation & { personName: string | null; makerName: string | null };

export async function listOpenInvitationsInCenter(db: Knex, centerId: string, at: Date): Promise<OpenInvitation[]> {
  const rows = await open(db('invitations as i'), at)
    .leftJoin('people as p', 'p.id', 'i.person_id')
    .leftJoin('users as u', 'u.id', 'i.created_by_user_id')
    .where({ 'i.center_id': centerId, 'i.purpose': 'invite' })
    .select('i.*', 'p.display_name as person_display_name', 'u.display_name as maker_display_name')
    .orderBy('i.created_at', 'desc');
  return rows.map((r: Record<string, unknown>) => ({
    ...InvitationRow.parse(r),
    personName: r.person_display_name == null ? null : String(r.person_display_name),
    makerName: r.maker_display_name == null ? null : String(r.maker_display_name),
  }));
}

/** A link of the center by id, whatever its state (404 when it is another center's). */
export async function findInvitationInCenter(db: Knex, centerId: string, id: string, purpose: 'invite' | 'reset'): Promise<Invitation | undefined> {
  return parseRow(InvitationRow, await db('invitations').where({ id, center_id: centerId, purpose }).first());
}

/** An open link of the center by id: one that can still be revoked. */
export async function findOpenInvitationInCenter(db: Knex, centerId: string, id: string, purpose: 'invite' | 'reset', at: Date): Promise<Invitation | undefined> {
  return parseRow(InvitationRow, await open(db('invitations').where({ id, center_id: centerId, purpose }), at).first());
}

/** Revokes one open link; false when it was no longer open (used, revoked or expired meanwhile). */
export async function revokeInvitation(db: Knex, id: string, at: Date): Promise<boolean> {
  const n = await open(db('invitations').where({ id }), at).update({ revoked_at: at.toISOString() });
  return n === 1;
}

/** Revokes each of `candidates` still open, one conditional update each; answers those it revoked. */
async function revokeEach(db: Knex, candidates: readonly Invitation[], at: Date): Promise<Invitation[]> {
  const revoked: Invitation[] = [];
  for (const link of candidates) if (await revokeInvitation(db, link.id, at)) revoked.push(link);
  return revoked;
}

/**
 * Revokes every open link (invitations and password resets) `userId` made in the center: they
 * were made on the authority of a membership that has just ended or changed. Call it in the
 * transaction that ends or changes the membership, and audit what it answers there.
 */
export async function revokeLinksMadeBy(db: Knex, input: { centerId: string; userId: string; at: Date }): Promise<Invitation[]> {
  const rows = await open(db('invitations').where({ center_id: input.centerId, created_by_user_id: input.userId }), input.at).orderBy('created_at');
  return revokeEach(db, parseRows(InvitationRow, rows), input.at);
}

/** Revokes every other open password-reset link for the user, in any center: the one used wins. */
export async function revokeOtherResetLinksFor(db: Knex, input: { userId: string; exceptId: string; at: Date }): Promise<Invitation[]> {
  const rows = await open(db('invitations').where({ user_id: input.userId, purpose: 'reset' }).whereNot({ id: input.exceptId }), input.at).orderBy('created_at');
  return revokeEach(db, parseRows(InvitationRow, rows), input.at);
}

/** How many invitations the user made since `since` (any center): the rate limit counts them. */
export async function countInvitationsMadeSince(db: Knex, userId: string, since: Date): Promise<number> {
  const row = (await db('invitations')
    .where({ created_by_user_id: userId, purpose: 'invite' })
    .andWhere('created_at', '>', since.toISOString())
    .count({ n: '*' })
    .first()) as { n: number | string } | undefined;
  return Number(row?.n ?? 0);
}
