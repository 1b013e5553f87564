import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrateLatest, type Knex } from '../../src/db/knex.js';
import { constraintViolation } from '../../src/db/errors.js';
import { createTestDb, dbBool } from '../support/db.js';

describe('migrateLatest', () => {
  let db: Knex;
  let destroy: () => Promise<void>;
  beforeEach(async () => ({ db, destroy } = await createTestDb()));
  afterEach(() => destroy());

  it('creates the centers table with its defaults on a fresh database', async () => {
    const at = '2026-03-02T12:00:00.000Z';
    await db('organizations').insert({ id: 'org-1', name: 'Northside', created_at: at });
    await db('centers').insert({ id: 'c-1', organization_id: 'org-1', name: 'Northside Main', pack_id: 'MN', created_at: at });

    expect(await db('centers').where({ id: 'c-1' }).first()).toEqual({
      id: 'c-1',
      organization_id: 'org-1',
      name: 'Northside Main',
      license_number: null,
      pack_id: 'MN',
      time_zone: 'America/Chicago',
      opens_at: '06:30',
      closes_at: '18:00',
      forecast_horizon_minutes: 60,
      grace_minutes: 10,
      expiry_lead_days: 30,
      claim_mode: 'first_claim',
      wave_size: 5,
      wave_minutes: 10,
      // No arrival or departure windows until a director sets them (migrations/20261215090000_…).
      arrival_from: null,
      arrival_to: null,
      departure_from: null,
      departure_to: null,
      created_at: at,
      is_demo: dbBool(false),
    });
  });

  it('refuses a center whose organization does not exist', async () => {
    const insert = db('centers').insert({ id: 'c-1', organization_id: 'nobody', name: 'Orphan', pack_id: 'MN', created_at: '2026-03-02T12:00:00.000Z' });
    await expect(insert).rejects.toSatisfy((err) => constraintViolation(err) === 'foreign_key');
  });

  it('does nothing when run again', async () => {
    expect(await migrateLatest(db)).toEqual([]);
  });
});
