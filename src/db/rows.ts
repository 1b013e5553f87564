import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { BACKGROUND_STUDY_STATUSES, COARSE_CATEGORIES, RECORD_STATUSES, ROLES } from '../domain/rule-pack.js';

/**
 * Codecs for rows as the engines return them. SQLite gives booleans as 0/1 and
 * PostgreSQL may give counts as strings; nothing past the repositories sees either.
 * Instants stay UTC ISO strings and dates stay 'YYYY-MM-DD' strings. Enum columns
 * are parsed into the domain's literals (a role, a study status, a record's review,
 * a room's categories): a stored value outside them is a bug, and fails here.
 */

export const newId = (): string => randomUUID();

const bool = z.union([z.boolean(), z.number()]).transform((v) => v === true || v === 1);
const int = z.union([z.number(), z.string()]).transform((v) => Number(v));
const nullableString = z.string().nullable();

export const MEMBERSHIP_ROLES = ['owner', 'director', 'staff', 'volunteer'] as const;
export type MembershipRole = (typeof MEMBERSHIP_ROLES)[number];
/** Roles held in one center (the owner's is held at organization level). */
export const CENTER_ROLES = ['director', 'staff', 'volunteer'] as const;
export type CenterRole = (typeof CENTER_ROLES)[number];

export const OrganizationRow = z
  .object({ id: z.string(), name: z.string(), created_at: z.string() })
  .transform((r) => ({ id: r.id, name: r.name, createdAt: r.created_at }));
export type Organization = z.output<typeof OrganizationRow>;

/** How a cover request is filled: the first valid claim wins, or a director picks among claims. */
export const CLAIM_MODES = ['first_claim', 'director_approves'] as const;
export type ClaimMode = (typeof CLAIM_MODES)[number];

const windowOf = (from: string | null | undefined, to: string | null | undefined): { from: string; to: string } | null =>
  from && to ? { from, to } : null;

export const CenterRow = z
  .object({
    id: z.string(),
    organization_id: z.string(),
    name: z.string(),
    license_number: nullableString,
    pack_id: z.string(),
    time_zone: z.string(),
    opens_at: z.string(),
    closes_at: z.string(),
    forecast_horizon_minutes: int,
    grace_minutes: int,
    expiry_lead_days: int,
    claim_mode: z.enum(CLAIM_MODES),
    wave_size: int,
    wave_minutes: int,
    is_demo: bool,
    created_at: z.string(),
    // Rows written before the windows existed (and kept copies of them) have none.
    arrival_from: nullableString.optional(),
    arrival_to: nullableString.optional(),
    departure_from: nullableString.optional(),
    departure_to: nullableString.optional(),
  })
  .transform((r) => ({
    id: r.id,
    organizationId: r.organization_id,
    name: r.name,
    licenseNumber: r.license_number,
    packId: r.pack_id,
    timeZone: r.time_zone,
    /** Local wall-clock `HH:mm` in `timeZone`. */
    opensAt: r.opens_at,
    closesAt: r.closes_at,
    forecastHorizonMinutes: r.forecast_horizon_minutes,
    /** Minutes after a shift starts before a person not yet arrived is a no show. */
    graceMinutes: r.grace_minutes,
    expiryLeadDays: r.expiry_lead_days,
    claimMode: r.claim_mode,
    /** A cover opening goes first to the best-ranked this many, */
    waveSize: r.wave_size,
    /** widened by as many more every this many minutes. */
    waveMinutes: r.wave_minutes,
    isDemo: r.is_demo,
    createdAt: r.created_at,
    /** Arrival and departure windows, local `HH:mm` within opensAt–closesAt; null where not set. */
    arrivalWindow: windowOf(r.arrival_from, r.arrival_to),
    departureWindow: windowOf(r.departure_from, r.departure_to),
  }));
export type Center = z.output<typeof CenterRow>;

export const UserRow = z
  .object({
    id: z.string(),
    email: z.string(),
    password_hash: nullableString,
    display_name: z.string(),
    session_version: int,
    created_at: z.string(),
  })
  .transform((r) => ({
    id: r.id,
    email: r.email,
    passwordHash: r.password_hash,
    displayName: r.display_name,
    sessionVersion: r.session_version,
    createdAt: r.created_at,
  }));
export type User = z.output<typeof UserRow>;

export const MembershipRow = z
  .object({
    id: z.string(),
    user_id: z.string(),
    organization_id: z.string(),
    center_id: nullableString,
    role: z.enum(MEMBERSHIP_ROLES),
    person_id: nullableString,
    created_at: z.string(),
    deactivated_at: nullableString,
  })
  .transform((r) => ({
    id: r.id,
    userId: r.user_id,
    organizationId: r.organization_id,
    centerId: r.center_id,
    role: r.role,
    personId: r.person_id,
    createdAt: r.created_at,
    deactivatedAt: r.deactivated_at,
  }));
export type Membership = z.output<typeof MembershipRow>;

export const PersonRow = z
  .object({
    id: z.string(),
    center_id: z.string(),
    display_name: z.string(),
    role: z.enum(ROLES),
    // A level of the center's pack (packs name their own), so any string.
    qualifies_as: nullableString,
    birth_date: nullableString,
    adult_attested: bool,
    started_on: nullableString,
    background_study: z.enum(BACKGROUND_STUDY_STATUSES),
    background_cleared_on: nullableString,
    background_expires_on: nullableString,
    // Only until the person has an account (migration 20261212090000); absent where a query names its columns.
    email: nullableString.optional(),
    archived_at: nullableString,
    created_at: z.string(),
  })
  .transform((r) => ({
    id: r.id,
    centerId: r.center_id,
    displayName: r.display_name,
    role: r.role,
    qualifiesAs: r.qualifies_as,
    birthDate: r.birth_date,
    adultAttested: r.adult_attested,
    startedOn: r.started_on,
    backgroundStudy: r.background_study,
    backgroundClearedOn: r.background_cleared_on,
    backgroundExpiresOn: r.background_expires_on,
    email: r.email ?? null,
    archivedAt: r.archived_at,
    createdAt: r.created_at,
  }));
export type Person = z.output<typeof PersonRow>;

export const RoomRow = z
  .object({
    id: z.string(),
    center_id: z.string(),
    name: z.string(),
    age_categories: z.string().transform((s) => s.split(',').filter(Boolean)).pipe(z.array(z.enum(COARSE_CATEGORIES))),
    licensed_capacity: int,
    max_group_size: z.union([z.number(), z.string()]).nullable(),
    archived_at: nullableString,
    created_at: z.string(),
    night_program: bool.optional(),
  })
  .transform((r) => ({
    id: r.id,
    centerId: r.center_id,
    name: r.name,
    ageCategories: r.age_categories,
    licensedCapacity: r.licensed_capacity,
    maxGroupSize: r.max_group_size === null ? null : Number(r.max_group_size),
    archivedAt: r.archived_at,
    createdAt: r.created_at,
    /** Run as a night program (the pack's night care rule). */
    nightProgram: r.night_program ?? false,
  }));
export type Room = z.output<typeof RoomRow>;

/** What a child's designation rests on (the engine's `ChildDesignation['basis']`). */
export const DESIGNATION_BASES = ['age_flexibility', 'kindergarten_eligible'] as const;

export const ChildRow = z
  .object({
    id: z.string(),
    center_id: z.string(),
    display_name: z.string(),
    birth_date: z.string(),
    attends_kindergarten: bool,
    home_room_id: nullableString,
    archived_at: nullableString,
    created_at: z.string(),
    designation_band: nullableString.optional(),
    designation_basis: z.enum(DESIGNATION_BASES).nullable().optional(),
    designation_on: nullableString.optional(),
    dedicated_staff: z.union([z.number(), z.string()]).nullable().optional(),
  })
  .transform((r) => ({
    id: r.id,
    centerId: r.center_id,
    displayName: r.display_name,
    birthDate: r.birth_date,
    attendsKindergarten: r.attends_kindergarten,
    homeRoomId: r.home_room_id,
    archivedAt: r.archived_at,
    createdAt: r.created_at,
    /**
     * The band of the pack the center designated the child into, on what basis, and the
     * `YYYY-MM-DD` it rests on (the agreement's date, or the kindergarten start); null: none.
     */
    designation: r.designation_band && r.designation_basis ? { band: r.designation_band, basis: r.designation_basis, on: r.designation_on ?? null } : null,
    /** Counted staff the child's own plan asks for beyond the ratio (e.g. 1 for 1:1); null: none. */
    dedicatedStaff: r.dedicated_staff === null || r.dedicated_staff === undefined ? null : Number(r.dedicated_staff),
  }));
export type Child = z.output<typeof ChildRow>;

/** One weekday a child is expected: 1 Monday … 7 Sunday (ISO), local `HH:mm` in the center's zone. */
export const ChildScheduleRow = z
  .object({ id: z.string(), child_id: z.string(), weekday: int, arrive: z.string(), depart: z.string() })
  .transform((r) => ({ id: r.id, childId: r.child_id, weekday: r.weekday, arrive: r.arrive, depart: r.depart }));
export type ChildScheduleDay = z.output<typeof ChildScheduleRow>;

const TrainingRecordColumns = z.object({
  id: z.string(),
  center_id: z.string(),
  person_id: z.string(),
  training_id: z.string(),
  completed_on: z.string(),
  provider: nullableString,
  certificate_number: nullableString,
  status: z.enum(RECORD_STATUSES),
  reviewed_by_user_id: nullableString,
  reviewed_at: nullableString,
  rejection_reason: nullableString,
  created_at: z.string(),
  // The attached certificate (migration 20261204090100): a path under the uploads folder, never shown.
  file_path: nullableString.default(null),
  file_type: nullableString.default(null),
  file_size: z.union([z.number(), z.string()]).nullable().default(null),
});

/** A training record, as stored: what was completed when, its review and its certificate. */
export const TrainingRecordRow = TrainingRecordColumns.transform((r) => ({
  id: r.id,
  centerId: r.center_id,
  personId: r.person_id,
  trainingId: r.training_id,
  completedOn: r.completed_on,
  provider: r.provider,
  certificateNumber: r.certificate_number,
  status: r.status,
  reviewedByUserId: r.reviewed_by_user_id,
  reviewedAt: r.reviewed_at,
  rejectionReason: r.rejection_reason,
  createdAt: r.created_at,
  filePath: r.file_path,
  fileType: r.file_type,
  fileSize: r.file_size === null ? null : Number(r.file_size),
}));
export type TrainingRecord = z.output<typeof TrainingRecordRow>;

/**
 * The part of a training record the engine reads (who completed which training when,
 * and whether it is verified), for the reads of many people's records at once;
 * services/person-on-file.ts turns either into the domain's `TrainingOnFile`.
 */
export const TRAINING_COMPLETION_COLUMNS = ['center_id', 'person_id', 'training_id', 'completed_on', 'status'] as const;
export const TrainingCompletionRow = TrainingRecordColumns.pick({ center_id: true, person_id: true, training_id: true, completed_on: true, status: true }).transform((r) => ({
  centerId: r.center_id,
  personId: r.person_id,
  trainingId: r.training_id,
  completedOn: r.completed_on,
  status: r.status,
}));
export type TrainingCompletion = z.output<typeof TrainingCompletionRow>;

export const InvitationRow = z
  .object({
    id: z.string(),
    token_hash: z.string(),
    purpose: z.enum(['invite', 'reset']),
    organization_id: z.string(),
    center_id: nullableString,
    role: z.enum(MEMBERSHIP_ROLES).nullable(),
    user_id: nullableString,
    person_id: nullableString,
    created_by_user_id: nullableString,
    created_at: z.string(),
    expires_at: z.string(),
    used_at: nullableString,
  })
  .transform((r) => ({
    id: r.id,
    purpose: r.purpose,
    organizationId: r.organization_id,
    centerId: r.center_id,
    role: r.role,
    userId: r.user_id,
    personId: r.person_id,
    createdByUserId: r.created_by_user_id,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    usedAt: r.used_at,
  }));
export type Invitation = z.output<typeof InvitationRow>;

export const AuditRow = z
  .object({
    id: int,
    at: z.string(),
    organization_id: z.string(),
    center_id: nullableString,
    actor_user_id: nullableString,
    action: z.string(),
    record_type: z.string(),
    record_id: nullableString,
    changes: z.string(),
    prev_hash: z.string(),
    hash: z.string(),
  })
  .transform((r) => ({
    id: r.id,
    at: r.at,
    organizationId: r.organization_id,
    centerId: r.center_id,
    actorUserId: r.actor_user_id,
    action: r.action,
    recordType: r.record_type,
    recordId: r.record_id,
    changes: r.changes,
    prevHash: r.prev_hash,
    hash: r.hash,
  }));
export type AuditEntry = z.output<typeof AuditRow>;

/** Parses one row, or undefined when there is none. */
export function parseRow<S extends z.ZodType>(codec: S, row: unknown): z.output<S> | undefined {
  return row === undefined || row === null ? undefined : codec.parse(row);
}

export function parseRows<S extends z.ZodType>(codec: S, rows: readonly unknown[]): z.output<S>[] {
  return rows.map((r) => codec.parse(r));
}
