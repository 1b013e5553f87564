import { z } from 'zod';
import type { Person, TrainingRecord } from '../../db/rows.js';
import { addMonths, formatCivilDate, parseCivilDate, wholeYearsBetween } from '../../domain/calendar.js';
import { BACKGROUND_STUDY_STATUSES, ROLES, type BackgroundStudyStatus, type Role, type RulePack } from '../../domain/rule-pack.js';
import type { CsvValue } from '../../words/csv.js';
import { cellOf, extraCellsText, headerKey, mapColumns, type ColumnSpec } from './columns.js';
import type { CsvTable } from './read.js';
import type { DuplicateOf, RosterLine, RosterReport, RowError } from './types.js';
import { nameKey, readDate, readName, readPastDate, readYesNo } from './values.js';

/** The people file's columns, in the template's order; one column per training follows them. */
export const PERSON_COLUMNS: readonly ColumnSpec[] = [
  { name: 'name', required: true },
  { name: 'role', required: true },
  { name: 'level', required: false },
  { name: 'birth_date', required: false },
  { name: 'adult', required: false },
  { name: 'email', required: false },
  { name: 'background_study', required: false },
  { name: 'study_cleared_on', required: false },
  { name: 'study_expires_on', required: false },
];

/** A training a people file may have a column for: the pack's (id) and the center's own (code). */
export type RosterTraining = { readonly id: string; readonly label: string };

export type PeopleContext = {
  readonly pack: RulePack;
  /** The center's local date today, YYYY-MM-DD. */
  readonly today: string;
  /** The pack's trainings and the center's active ones. */
  readonly trainings: readonly RosterTraining[];
  /** The people on file, archived ones too. */
  readonly people: readonly Pick<Person, 'id' | 'displayName' | 'birthDate' | 'archivedAt'>[];
};

export type PersonToAdd = {
  readonly row: number;
  readonly displayName: string;
  readonly role: Role;
  readonly qualifiesAs: string | null;
  readonly birthDate: string | null;
  readonly adultAttested: boolean;
  readonly email: string | null;
  readonly backgroundStudy: BackgroundStudyStatus;
  readonly backgroundClearedOn: string | null;
  readonly backgroundExpiresOn: string | null;
  readonly trainings: readonly { readonly trainingId: string; readonly completedOn: string }[];
};

/** Words for the stored codes, as the file writes them. */
const ROLE_WORDS: Record<Role, string> = {
  director: 'director',
  teacher: 'teacher',
  assistant_teacher: 'assistant teacher',
  aide: 'aide',
  substitute: 'substitute',
  volunteer: 'volunteer',
  student: 'student',
};
const STUDY_WORDS: Record<BackgroundStudyStatus, string> = { not_started: 'not started', submitted: 'submitted', cleared: 'cleared', disqualified: 'disqualified' };

const code = (text: string) => headerKey(text).replace(/[\s-]+/g, '_');
const ROLE_LIST = 'teacher, assistant teacher, aide, substitute, volunteer, director or student';
const Email = z.email();
const TRAINING = 'training:';

/** The field a training column maps to, and back. */
const trainingField = (id: string) => `${TRAINING}${id}`;

/** Every row of a people file judged against the center: the report, and the rows to add. Pure. */
export function checkPeople(table: CsvTable, ctx: PeopleContext): { report: RosterReport; toAdd: PersonToAdd[] } {
  const byKey = new Map<string, RosterTraining>();
  for (const t of ctx.trainings) {
    if (!byKey.has(headerKey(t.id))) byKey.set(headerKey(t.id), t);
    if (!byKey.has(headerKey(t.label))) byKey.set(headerKey(t.label), t);
  }
  const columns = mapColumns(table.header, PERSON_COLUMNS, 'people', (key) => {
    const t = byKey.get(key);
    return t ? trainingField(t.id) : null;
  });
  const base = { kind: 'people' as const, rows: table.records.length, ignoredColumns: columns.ignored };
  if (columns.errors.length > 0) return { report: { ...base, fileErrors: columns.errors, lines: [] }, toAdd: [] };
  const trainingColumns = ctx.trainings.filter((t) => columns.index.has(trainingField(t.id)));

  const today = parseCivilDate(ctx.today)!;
  const levelOf = new Map<string, string>();
  for (const l of ctx.pack.levels) {
    levelOf.set(code(l.level), l.level);
    levelOf.set(code(l.label), l.level);
  }
  const levelList = ctx.pack.levels.map((l) => l.label).join(', ');
  const onFile = new Map<string, Pick<Person, 'id' | 'displayName' | 'birthDate' | 'archivedAt'>[]>();
  for (const p of ctx.people) onFile.set(nameKey(p.displayName), [...(onFile.get(nameKey(p.displayName)) ?? []), p]);
  const inFile = new Map<string, { row: number; birthDate: string | null }[]>();
  // Same name, and the same birth date when both have one.
  const sameBirth = (a: string | null, b: string | null) => a === null || b === null || a === b;

  const lines: RosterLine[] = [];
  const toAdd: PersonToAdd[] = [];
  for (const record of table.records) {
    const cell = (field: string) => cellOf(columns, record, field);
    const errors: RowError[] = [];
    const fail = (field: string | null, message: string) => errors.push({ field, message });

    const name = readName(cell('name'), 'The name is empty: every person needs one.');
    if (!name.ok) fail('name', name.message);
    const birthText = cell('birth_date');
    const birth = birthText === '' ? null : readPastDate(birthText, today);
    if (birth && !birth.ok) fail('birth_date', birth.message);

    if (name.ok && (birth === null || birth.ok)) {
      const birthDate = birth?.ok ? birth.value : null;
      const known = onFile.get(nameKey(name.value))?.find((p) => sameBirth(p.birthDate, birthDate));
      const earlier = inFile.get(nameKey(name.value))?.find((p) => sameBirth(p.birthDate, birthDate));
      const duplicateOf: DuplicateOf | undefined = known
        ? { source: 'on_file', id: known.id, name: known.displayName, archived: known.archivedAt !== null }
        : earlier
          ? { source: 'file', row: earlier.row }
          : undefined;
      if (duplicateOf) {
        const summary =
          duplicateOf.source === 'file'
            ? `${name.value}: the same person as row ${duplicateOf.row}; not added twice.`
            : `${name.value}: already on file${duplicateOf.archived ? ' (archived)' : ''}; not added again.`;
        lines.push({ row: record.row, outcome: 'duplicate', errors: [], summary, duplicateOf });
        continue;
      }
    }

    const roleText = cell('role');
    const role = ROLES.find((r) => r === code(roleText));
    if (roleText === '') fail('role', `The role is empty: use ${ROLE_LIST}.`);
    else if (!role) fail('role', `“${roleText}” is not a role: use ${ROLE_LIST}.`);

    const levelText = cell('level');
    const level = levelText === '' ? null : (levelOf.get(code(levelText)) ?? undefined);
    if (level === undefined) fail('level', `“${levelText}” is not a level of these rules: use ${levelList}, or leave it empty.`);

    const adult = readYesNo(cell('adult'));
    if (!adult.ok) fail('adult', `${adult.message} Write yes when the person is 18 or older, or leave it empty.`);
    else if (adult.value && birth?.ok && wholeYearsBetween(parseCivilDate(birth.value)!, today) < 18) {
      fail('adult', `The birth date ${birthText} says this person is under 18: fix the date, or leave adult empty.`);
    }
    // As the person form asks: without an age on record nobody counts toward ratio (the pack's minimum ages), and an
    // imported teacher who silently does not count is worse than a row to fix.
    if (adult.ok && !adult.value && birth === null) fail('birth_date', 'Enter a birth date, or yes in the adult column (18 or older): the rules’ minimum ages decide who may count.');

    const emailText = cell('email').toLowerCase();
    const email = emailText === '' ? null : emailText;
    if (email !== null && (email.length > 254 || !Email.safeParse(email).success)) fail('email', `“${cell('email')}” is not an email address.`);

    const study = readStudy(cell('background_study'), cell('study_cleared_on'), cell('study_expires_on'), today, ctx.pack, fail);

    const trainings: { trainingId: string; completedOn: string }[] = [];
    for (const t of trainingColumns) {
      const text = cellOf(columns, record, trainingField(t.id));
      if (text === '') continue;
      const done = readPastDate(text, today, `${text} is in the future: give the date ${t.label} was completed.`);
      if (!done.ok) fail(t.id, done.message);
      else trainings.push({ trainingId: t.id, completedOn: done.value });
    }
    const extra = extraCellsText(table.header.length, record);
    if (extra) fail(null, extra);

    if (errors.length > 0 || !name.ok || !role || level === undefined || !adult.ok || study === null || (birth !== null && !birth.ok)) {
      lines.push({ row: record.row, outcome: 'rejected', errors, summary: name.ok ? name.value : '' });
      continue;
    }
    const birthDate = birth?.ok ? birth.value : null;
    inFile.set(nameKey(name.value), [...(inFile.get(nameKey(name.value)) ?? []), { row: record.row, birthDate }]);
    const person: PersonToAdd = {
      row: record.row,
      displayName: name.value,
      role,
      qualifiesAs: level,
      birthDate,
      adultAttested: adult.value,
      email,
      ...study,
      trainings,
    };
    toAdd.push(person);
    const labelOf = new Map(ctx.trainings.map((t) => [t.id, t.label]));
    const parts = [person.displayName, ROLE_WORDS[role]];
    if (level) parts.push(`level ${ctx.pack.levels.find((l) => l.level === level)?.label ?? level}`);
    if (email) parts.push(`email ${email}`);
    if (study.backgroundStudy !== 'not_started') parts.push(`background study ${STUDY_WORDS[study.backgroundStudy]}`);
    if (trainings.length > 0) parts.push(`trainings: ${trainings.map((t) => `${labelOf.get(t.trainingId) ?? t.trainingId} ${t.completedOn}`).join('; ')}`);
    lines.push({ row: record.row, outcome: 'add', errors: [], summary: parts.join(', ') });
  }
  return { report: { ...base, fileErrors: [], lines }, toAdd };
}

type Study = { backgroundStudy: BackgroundStudyStatus; backgroundClearedOn: string | null; backgroundExpiresOn: string | null };

/**
 * The background study as the volunteer pool's form takes it: a cleared study needs
 * the date cleared (not in the future) and may give an expiry after it (left empty, the
 * pack's period from the date cleared, when it sets one); the dates belong to a cleared
 * study only. Null after a failure.
 */
function readStudy(statusText: string, clearedText: string, expiresText: string, today: ReturnType<typeof parseCivilDate> & {}, pack: RulePack, fail: (field: string, message: string) => void): Study | null {
  const status = statusText === '' ? 'not_started' : BACKGROUND_STUDY_STATUSES.find((s) => s === code(statusText));
  if (!status) {
    fail('background_study', `“${statusText}” is not a background study status: use not started, submitted, cleared or disqualified.`);
    return null;
  }
  if (status !== 'cleared') {
    if (clearedText === '' && expiresText === '') return { backgroundStudy: status, backgroundClearedOn: null, backgroundExpiresOn: null };
    const field = clearedText !== '' ? 'study_cleared_on' : 'study_expires_on';
    fail(field, `Dates of a background study are for a cleared one; this row says “${statusText || 'not started'}”. Write cleared in background_study, or leave the dates empty.`);
    return null;
  }
  if (clearedText === '') {
    fail('study_cleared_on', 'A cleared background study needs the date it was cleared.');
    return null;
  }
  const cleared = readPastDate(clearedText, today);
  if (!cleared.ok) {
    fail('study_cleared_on', cleared.message);
    return null;
  }
  let expires: string | null = null;
  if (expiresText !== '') {
    const read = readDate(expiresText);
    if (!read.ok) {
      fail('study_expires_on', read.message);
      return null;
    }
    if (read.value <= cleared.value) {
      fail('study_expires_on', `The expiry ${expiresText} must be after the date cleared, ${clearedText}.`);
      return null;
    }
    expires = read.value;
  } else if (pack.backgroundStudy.expiryMonths !== null) {
    expires = formatCivilDate(addMonths(parseCivilDate(cleared.value)!, pack.backgroundStudy.expiryMonths));
  }
  return { backgroundStudy: 'cleared', backgroundClearedOn: cleared.value, backgroundExpiresOn: expires };
}

// ---------------------------------------------------------------- export

/** The people file's header: the fixed columns, then one per training headed by its id. */
export function personHeader(trainings: readonly RosterTraining[]): string[] {
  return [...PERSON_COLUMNS.map((c) => c.name), ...trainings.map((t) => t.id)];
}

/**
 * The people as rows of the import's columns: the level by its label, the background
 * study in words, and for each training the latest completion date of a record not
 * rejected (verified or awaiting review).
 */
export function personRows(
  people: readonly Pick<Person, 'id' | 'displayName' | 'role' | 'qualifiesAs' | 'birthDate' | 'adultAttested' | 'email' | 'backgroundStudy' | 'backgroundClearedOn' | 'backgroundExpiresOn'>[],
  pack: RulePack,
  trainings: readonly RosterTraining[],
  records: readonly Pick<TrainingRecord, 'personId' | 'trainingId' | 'completedOn' | 'status'>[],
): CsvValue[][] {
  const latest = new Map<string, string>();
  for (const r of records) {
    if (r.status === 'rejected') continue;
    const key = `${r.personId}|${r.trainingId}`;
    if ((latest.get(key) ?? '') < r.completedOn) latest.set(key, r.completedOn);
  }
  return people.map((p) => [
    p.displayName,
    ROLE_WORDS[p.role],
    p.qualifiesAs ? (pack.levels.find((l) => l.level === p.qualifiesAs)?.label ?? p.qualifiesAs) : '',
    p.birthDate ?? '',
    p.adultAttested ? 'yes' : '',
    p.email ?? '',
    STUDY_WORDS[p.backgroundStudy],
    p.backgroundClearedOn ?? '',
    p.backgroundExpiresOn ?? '',
    ...trainings.map((t) => latest.get(`${p.id}|${t.id}`) ?? ''),
  ]);
}

/** The template's example row: a teacher at the pack's highest level, cleared, with the first of `trainings` done. */
export function personExampleRow(pack: RulePack, trainings: readonly RosterTraining[]): CsvValue[] {
  const level = pack.levels.at(-1)?.label ?? '';
  return ['Sam Lee', 'teacher', level, '', 'yes', 'sam.lee@example.org', 'cleared', '2025-09-02', '', ...trainings.map((_, i) => (i === 0 ? '2025-08-15' : ''))];
}
