import { describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { MN } from '../../src/domain/rules/mn.js';
import {
  coverSummary,
  eligibilityFor,
  stillNeeded,
  trainingStatus,
  trainingStatuses,
  type PersonOnFile,
  type TrainingOnFile,
} from '../../src/domain/eligibility.js';
import { parseCivilDate } from '../../src/domain/calendar.js';
import { reasonText } from '../../src/domain/ratio/words.js';

const zone = 'America/Chicago';
const at = (iso: string) => DateTime.fromISO(iso, { zone });
const window = (start: string, end: string) => ({ start: at(start), end: at(end) });
const day = (iso: string) => parseCivilDate(iso)!;
const training = (id: string) => MN.trainings.find((t) => t.id === id)!;

const verified = (trainingId: string, completedOn: string): TrainingOnFile => ({ trainingId, completedOn, status: 'verified' });

/** A grandparent volunteer at aide level, cleared, with every infant training done on 2026-01-10. */
function grandparent(overrides: Partial<PersonOnFile> = {}): PersonOnFile {
  return {
    role: 'volunteer',
    qualifiesAs: 'aide',
    birthDate: '1959-05-01',
    backgroundStudy: 'cleared',
    trainings: ['orientation', 'suid', 'aht', 'first_aid', 'cpr'].map((id) => verified(id, '2026-01-10')),
    ...overrides,
  };
}

const without = (person: PersonOnFile, id: string): PersonOnFile => ({ ...person, trainings: person.trainings.filter((t) => t.trainingId !== id) });
const MONDAY = window('2026-03-02T09:00', '2026-03-02T17:00');

describe('eligibilityFor (Minnesota)', () => {
  it('makes a cleared volunteer with current infant trainings eligible for the infant room, counted as an aide', () => {
    const e = eligibilityFor(MN, grandparent(), ['infant'], MONDAY);
    expect(e).toMatchObject({ eligible: true, countsAs: 'aide', missing: [], needsSupervision: false });
  });

  it('names the missing safe-sleep training for infants but still allows toddlers and preschoolers', () => {
    const person = without(grandparent(), 'suid');
    const infants = eligibilityFor(MN, person, ['infant'], MONDAY);
    expect(infants.eligible).toBe(false);
    expect(infants.missing.map(reasonText)).toEqual(['Safe sleep (SUID) training missing: required before caring for infants']);
    expect(eligibilityFor(MN, person, ['toddler'], MONDAY).eligible).toBe(true);
    expect(eligibilityFor(MN, person, ['preschooler'], MONDAY).eligible).toBe(true);
  });

  it('does not need AHT for a school-age room, but does as soon as the room also serves preschoolers', () => {
    const person = without(grandparent(), 'aht');
    expect(eligibilityFor(MN, person, ['school_age'], MONDAY).eligible).toBe(true);
    expect(eligibilityFor(MN, person, ['preschooler', 'school_age'], MONDAY).missing.map(reasonText)).toEqual([
      'Abusive head trauma (AHT) training missing: required before caring for a child under school age',
    ]);
  });

  it('does not count a training awaiting verification', () => {
    const person: PersonOnFile = { ...without(grandparent(), 'suid'), trainings: [...without(grandparent(), 'suid').trainings, { trainingId: 'suid', completedOn: '2026-02-20', status: 'submitted' }] };
    expect(eligibilityFor(MN, person, ['infant'], MONDAY).eligible).toBe(false);
  });

  it('rules a volunteer out of a window in which her CPR expires at midnight (24 months after 2024-10-01)', () => {
    const person = grandparent({ trainings: [...without(grandparent(), 'cpr').trainings, verified('cpr', '2024-10-01')] });
    expect(eligibilityFor(MN, person, ['toddler'], window('2026-09-30T09:00', '2026-09-30T17:00')).eligible).toBe(true);
    const overnight = eligibilityFor(MN, person, ['toddler'], window('2026-09-30T20:00', '2026-10-01T06:00'));
    expect(overnight.eligible).toBe(false);
    expect(overnight.missing.map(reasonText)).toEqual(['Pediatric CPR: expired on 2026-10-01']);
  });

  it('treats a window ending exactly at midnight as ending before the expiry day', () => {
    const person = grandparent({ trainings: [...without(grandparent(), 'cpr').trainings, verified('cpr', '2024-10-01')] });
    expect(eligibilityFor(MN, person, ['toddler'], window('2026-09-30T20:00', '2026-10-01T00:00')).eligible).toBe(true);
  });

  it('rules out a pending background study, saying why', () => {
    const e = eligibilityFor(MN, grandparent({ backgroundStudy: 'submitted' }), ['toddler'], MONDAY);
    expect(e.eligible).toBe(false);
    expect(e.missing.map(reasonText)).toContain('Background study submitted, not cleared: may be present only under direct supervision, does not count');
  });

  it('rules out a cleared study that expires inside the window', () => {
    const e = eligibilityFor(MN, grandparent({ backgroundExpiresOn: '2026-03-02' }), ['toddler'], MONDAY);
    expect(e.eligible).toBe(false);
    expect(e.missing.map(reasonText)).toEqual(['Background study: expired on 2026-03-02']);
  });

  it('rules out a volunteer of 15 (aides must be 16) and lets one of 17 cover only with a teacher present', () => {
    const fifteen = eligibilityFor(MN, grandparent({ birthDate: '2010-06-01' }), ['toddler'], MONDAY);
    expect(fifteen.eligible).toBe(false);
    expect(reasonText(fifteen.missing[0]!)).toMatch(/^Under 16/);
    const seventeen = eligibilityFor(MN, grandparent({ birthDate: '2008-06-01' }), ['toddler'], MONDAY);
    expect(seventeen).toMatchObject({ eligible: true, needsSupervision: true });
  });

  it('does not count a volunteer without a qualification level', () => {
    const e = eligibilityFor(MN, grandparent({ qualifiesAs: null }), ['toddler'], MONDAY);
    expect(e.eligible).toBe(false);
    expect(reasonText(e.missing[0]!)).toMatch(/no qualification level on record/);
  });

  it('takes "18 or older" as meeting an 18-year minimum', () => {
    const person = grandparent({ birthDate: null, adultAttested: true, qualifiesAs: 'assistant_teacher' });
    expect(eligibilityFor(MN, person, ['toddler'], MONDAY)).toMatchObject({ eligible: true, countsAs: 'assistant_teacher' });
  });
});

describe('trainingStatus', () => {
  const cpr = training('cpr');
  const records = [verified('cpr', '2024-10-01')];

  it('is current well before expiry, expiring soon within the lead time, expired on the expiry day', () => {
    expect(trainingStatus(cpr, records, day('2026-08-31'), 30).standing).toBe('current');
    expect(trainingStatus(cpr, records, day('2026-09-01'), 30)).toMatchObject({ standing: 'expiring_soon', expiresOn: '2026-10-01' });
    expect(trainingStatus(cpr, records, day('2026-10-01'), 30).standing).toBe('expired');
  });

  it('shows a renewal awaiting review over an expired record', () => {
    const renewing = [...records, { trainingId: 'cpr', completedOn: '2026-10-03', status: 'submitted' as const }];
    expect(trainingStatus(cpr, renewing, day('2026-10-05'), 30).standing).toBe('pending_review');
  });

  it('shows a rejection with its reason, and no record as not started', () => {
    const rejected = [{ trainingId: 'cpr', completedOn: '2026-01-10', status: 'rejected' as const, rejectionReason: 'Certificate is for adult CPR only' }];
    expect(trainingStatus(cpr, rejected, day('2026-03-02'), 30)).toMatchObject({ standing: 'rejected', rejectionReason: 'Certificate is for adult CPR only' });
    expect(trainingStatus(cpr, [], day('2026-03-02'), 30).standing).toBe('not_started');
  });

  it('lists every training the pack asks of a volunteer, in pack order', () => {
    const ids = trainingStatuses(MN, grandparent(), day('2026-03-02'), 30).map((s) => s.training.id);
    expect(ids).toEqual(['orientation', 'suid', 'aht', 'first_aid', 'cpr', 'child_development', 'child_passenger_restraint', 'mandated_reporter']);
  });
});

describe('coverSummary', () => {
  it('says which rooms a volunteer can cover and what each other room still needs', () => {
    const rooms = [
      { id: 'i', name: 'Infants', categories: ['infant'] as const },
      { id: 't', name: 'Toddlers', categories: ['toddler'] as const },
    ];
    const summary = coverSummary(MN, without(grandparent(), 'suid'), rooms, MONDAY);
    expect(summary.canCover.map((r) => r.name)).toEqual(['Toddlers']);
    expect(summary.cannotCover.map((c) => ({ ...c, missing: c.missing.map(reasonText) }))).toEqual([{ room: rooms[0], missing: ['Safe sleep (SUID) training missing: required before caring for infants'] }]);
  });
});

describe('stillNeeded', () => {
  it('lists, for a new volunteer with no level on record, the study and every training an infant room asks, not only the level', () => {
    // Minn. R. 9503.0034 subp. 2 (DHS summary): "a volunteer counts only if they meet the qualifications of the staff
    // position filled" — so no level is the first line; the study (245C) and the infant trainings are asked at any level.
    const fresh: PersonOnFile = { role: 'volunteer', qualifiesAs: null, adultAttested: true, backgroundStudy: 'not_started', trainings: [] };
    const items = stillNeeded(MN, fresh, ['infant'], MONDAY);
    expect(items.map((r) => r.code)).toEqual(['no_level_on_record', 'background_study', 'training_missing', 'training_missing', 'training_missing', 'training_missing', 'training_missing']);
    expect(items.filter((r) => r.code === 'training_missing').map((r) => (r.params as { training: string }).training)).toEqual(
      ['orientation', 'suid', 'aht', 'first_aid', 'cpr'].map((id) => training(id).label),
    );
    // Nothing to list for someone who counts.
    expect(stillNeeded(MN, grandparent(), ['infant'], MONDAY)).toEqual([]);
  });
});

describe('evaluateRoom with a background study expiry on file', () => {
  it('stops counting a cleared teacher on the day the study the center entered expires', async () => {
    const { evaluateRoom } = await import('../../src/domain/ratio/evaluate-room.js');
    const teacher = { role: 'teacher' as const, qualified: true, backgroundStudy: 'cleared' as const, backgroundExpiresOn: '2026-03-02' };
    const group = { activity: 'normal' as const, children: [{ birthDate: '2024-07-01' }], people: [teacher] };
    expect(evaluateRoom(MN, group, at('2026-03-01T16:00')).countedStaff).toBe(1);
    const onTheDay = evaluateRoom(MN, group, at('2026-03-02T07:00'));
    expect(onTheDay.countedStaff).toBe(0);
    expect(onTheDay.staff[0]!.reasons.map(reasonText)).toContain('Background study: expired on 2026-03-02');
  });
});
