import type { Knex } from 'knex';
import { CenterRow, newId, parseRow, parseRows, type Center, type ClaimMode } from './rows.js';

const COLUMNS = [
  'id',
  'organization_id',
  'name',
  'license_number',
  'pack_id',
  'time_zone',
  'opens_at',
  'closes_at',
  'forecast_horizon_minutes',
  'grace_minutes',
  'expiry_lead_days',
  'claim_mode',
  'wave_size',
  'wave_minutes',
  'is_demo',
  'created_at',
  'arrival_from',
  'arrival_to',
  'departure_from',
  'departure_to',
];

export type NewCenter = {
  organizationId: string;
  name: string;
  packId: string;
  timeZone?: string;
  licenseNumber?: string | null;
  opensAt?: string;
  closesAt?: string;
  isDemo?: boolean;
  at: Date;
};

export async function createCenter(db: Knex, input: NewCenter): Promise<Center> {
  const row = {
    id: newId(),
    organization_id: input.organizationId,
    name: input.name,
    license_number: input.licenseNumber ?? null,
    pack_id: input.packId,
    time_zone: input.timeZone ?? 'America/Chicago',
    // The other settings start at the migration's defaults; the owner changes them on the settings page.
    opens_at: input.opensAt ?? '06:30',
    closes_at: input.closesAt ?? '18:00',
    forecast_horizon_minutes: 60,
    grace_minutes: 10,
    expiry_lead_days: 30,
    claim_mode: 'first_claim',
    wave_size: 5,
    wave_minutes: 10,
    is_demo: input.isDemo ?? false,
    created_at: input.at.toISOString(),
    arrival_from: null,
    arrival_to: null,
    departure_from: null,
    departure_to: null,
  };
  await db('centers').insert(row);
  return CenterRow.parse(row);
}

/**
 * Unscoped by design: only for resolving the center named in a path before the
 * caller's membership in it is checked (see memberships.findActiveMemberInCenter).
 */
export async function findCenterForMembershipCheck(db: Knex, id: string): Promise<Center | undefined> {
  return parseRow(CenterRow, await db('centers').where({ id }).first(COLUMNS));
}

/** The centers a user may open: those of their active memberships, and every center of an organization they own. */
export async function listCentersForUser(db: Knex, userId: string): Promise<Center[]> {
  const active = db('memberships').where({ user_id: userId }).whereNull('deactivated_at');
  const rows = await db('centers')
    .whereIn('id', active.clone().whereNotNull('center_id').select('center_id'))
    .orWhereIn('organization_id', active.clone().where({ role: 'owner' }).select('organization_id'))
    .orderBy('name')
    .select(COLUMNS);
  return parseRows(CenterRow, rows);
}

/** A center of the organization, or undefined: an owner's lookups go through their organization. */
export async function findCenterInOrganization(db: Knex, organizationId: string, id: string): Promise<Center | undefined> {
  return parseRow(CenterRow, await db('centers').where({ id, organization_id: organizationId }).first(COLUMNS));
}

export type CenterSettings = {
  name: string;
  licenseNumber: string | null;
  packId: string;
  timeZone: string;
  opensAt: string;
  closesAt: string;
  forecastHorizonMinutes: number;
  graceMinutes: number;
  expiryLeadDays: number;
  claimMode: ClaimMode;
  waveSize: number;
  waveMinutes: number;
  /** Arrival and departure windows (local `HH:mm`); null: none. */
  arrivalWindow: DayWindow | null;
  departureWindow: DayWindow | null;
};

export type DayWindow = { from: string; to: string };

/** Writes the settings of a center of the organization; false when there is no such center. */
export async function updateCenterSettings(db: Knex, organizationId: string, id: string, s: CenterSettings): Promise<boolean> {
  const n = await db('centers').where({ id, organization_id: organizationId }).update({
    name: s.name,
    license_number: s.licenseNumber,
    pack_id: s.packId,
    time_zone: s.timeZone,
    opens_at: s.opensAt,
    closes_at: s.closesAt,
    forecast_horizon_minutes: s.forecastHorizonMinutes,
    grace_minutes: s.graceMinutes,
    expiry_lead_days: s.expiryLeadDays,
    claim_mode: s.claimMode,
    wave_size: s.waveSize,
    wave_minutes: s.waveMinutes,
    arrival_from: s.arrivalWindow?.from ?? null,
    arrival_to: s.arrivalWindow?.to ?? null,
    departure_from: s.departureWindow?.from ?? null,
    departure_to: s.departureWindow?.to ?? null,
  });
  return n === 1;
}

/** Every center, by id (the job runner visits each). */
export async function listCenters(db: Knex): Promise<Center[]> {
  return parseRows(CenterRow, await db('centers').orderBy('id').select(COLUMNS));
}

export async function listDemoCenters(db: Knex): Promise<Center[]> {
  return parseRows(CenterRow, await db('centers').where({ is_demo: true }).select(COLUMNS));
}

/** Whether the signed-out pages should say this installation holds demo data. */
export async function hasDemoCenter(db: Knex): Promise<boolean> {
  return (await db('centers').where({ is_demo: true }).first('id')) !== undefined;
}
