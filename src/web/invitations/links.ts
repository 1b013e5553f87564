import type { Request } from 'express';
import type { Knex } from 'knex';
import { appendAudit, type AuditInput } from '../../db/audit.js';
import { findActiveMemberInCenter } from '../../db/memberships.js';
import type { Invitation } from '../../db/rows.js';
import { can } from '../auth/policy.js';

/**
 * One-time links (invitations and password resets) beyond their token: whether the one who made
 * a link may still make it, how revoked links are audited, and showing a new link exactly once.
 */

declare module 'express-session' {
  interface SessionData {
    /**
     * Links just made by this session, by invitation id, until the page after the redirect shows
     * them (post/redirect/get): a reload shows nothing and makes nothing. The token is kept here
     * for that one redirect only.
     */
    linksToShow?: Record<string, string>;
  }
}

// A director making links in several tabs keeps a few; older ones are dropped unseen.
const MAX_LINKS_TO_SHOW = 5;

/** Keeps the link's path for the next page of this session to show once. */
export function keepLinkToShow(req: Request, invitationId: string, path: string): void {
  const kept = Object.entries(req.session.linksToShow ?? {}).slice(-(MAX_LINKS_TO_SHOW - 1));
  req.session.linksToShow = Object.fromEntries([...kept, [invitationId, path]]);
}

/** The link's path if this session made it and has not been shown it yet; it is forgotten now. */
export function takeLinkToShow(req: Request, invitationId: string): string | undefined {
  const kept = req.session.linksToShow;
  const path = kept?.[invitationId];
  if (kept && path !== undefined) {
    delete kept[invitationId];
    if (Object.keys(kept).length === 0) delete req.session.linksToShow;
  }
  return path;
}

/**
 * Whether the link's maker may still make it now: still an active member of the link's center
 * whose role may grant the invitation's role, or manage the reset's account there. A link carries
 * its maker's authority, not its own: a director deactivated or made staff since (or a reset's
 * person promoted past them) leaves their links dead, even if revoking them at the time failed.
 * Links made from the command line (the first owner's reset: no maker, no center) stand alone.
 */
export async function makerStillMay(db: Knex, link: Invitation): Promise<boolean> {
  if (link.createdByUserId === null) return link.purpose === 'reset' && link.centerId === null;
  if (link.centerId === null) return false;
  const maker = await findActiveMemberInCenter(db, link.createdByUserId, link.centerId);
  if (!maker) return false;
  if (link.purpose === 'invite') return link.role !== null && can(maker, 'invitation.create', { role: link.role });
  if (link.userId === null) return false;
  const person = await findActiveMemberInCenter(db, link.userId, link.centerId);
  return person !== undefined && can(maker, 'password_reset_link.create', { role: person.role, userId: person.userId });
}

export type RevocationReason = 'revoked_by_director' | 'maker_deactivated' | 'maker_role_changed' | 'superseded';

/** One audit entry per revoked link, in the transaction that revoked them. */
export async function auditRevokedLinks(
  trx: Knex.Transaction,
  links: readonly Invitation[],
  entry: Pick<AuditInput, 'at' | 'actorUserId'>,
  reason: RevocationReason,
): Promise<void> {
  for (const link of links) {
    await appendAudit(trx, {
      ...entry,
      organizationId: link.organizationId,
      centerId: link.centerId,
      action: link.purpose === 'invite' ? 'invitation.revoked' : 'password_reset_link.revoked',
      recordType: 'invitation',
      recordId: link.id,
      before: { revokedAt: null },
      after: { revokedAt: entry.at.toISOString(), reason },
    });
  }
}
