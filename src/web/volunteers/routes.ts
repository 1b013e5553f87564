import { Router } from 'express';
import { actedBy } from '../../services/acted-by.js';
import { DateTime } from 'luxon';
import { z } from 'zod';
import { appendAudit } from '../../db/audit.js';
import { isUserThePerson, type CenterMember } from '../../db/memberships.js';
import { findPersonInCenter } from '../../db/people.js';
import type { Person } from '../../db/rows.js';
import { updateBackgroundStudy } from '../../db/volunteer-pool.js';
import { STANDING_WORDS } from '../../domain/eligibility.js';
import { BACKGROUND_STUDY_STATUSES } from '../../domain/rule-pack.js';
import type { Deps } from '../deps.js';
import { memberOf } from '../auth/current.js';
import { guard } from '../auth/guard.js';
import { NotFound } from '../errors.js';
import { fieldErrors, type FieldErrors } from '../forms.js';
import { STUDY_LABELS } from '../labels.js';
import { centerPack } from '../../services/center-pack.js';
import { civilDate, keptStrings, optionalCivilDate } from '../trainings/form-fields.js';
import { PERSON_ROLE_WORDS } from '../trainings/words.js';
import { csvDocument } from './csv.js';
import { applyFilter, buildPool, parseFilter, renderPool } from './pool.js';
import { idIn } from '../ids.js';

const STUDY_FIELDS = ['status', 'clearedOn', 'expiresOn'] as const;

/** Said when someone opens or sends their own background study. */
export const OWN_STUDY_REFUSED = 'You cannot change your own background study. Another director or the owner records it.';

export function volunteerRoutes(deps: Deps): Router {
  const { db, clock } = deps;
  const router = Router();

  router.get('/centers/:centerId/volunteers', guard(deps, 'volunteers.list'), async (req, res) => {
    const flash = req.session.flash;
    if (flash) delete req.session.flash;
    await renderPool(db, res, memberOf(req), clock.now(), req.query, 200, undefined, flash);
  });

  router.get('/centers/:centerId/volunteers.csv', guard(deps, 'volunteers.list'), async (req, res) => {
    const member = memberOf(req);
    const pool = await buildPool(db, member, clock.now(), req.query.on);
    const rows = applyFilter(pool, parseFilter(req.query, pool.rooms));
    // One column per training that decides counting for anyone listed, in pack order.
    const ids = new Set(rows.flatMap((r) => r.statuses.map((s) => s.training.id)));
    const trainings = pool.pack.trainings.filter((t) => ids.has(t.id));
    const header = ['Name', 'Level', 'Background study', 'Background study expires', ...trainings.map((t) => t.label), 'Awaiting verification', pool.when.words === 'now' ? 'Can cover now' : `Can cover ${pool.when.day}`, pool.when.words === 'now' ? 'Available today' : `Available ${pool.when.day}`];
    const body = rows.map((r) => [
      r.person.displayName,
      r.person.qualifiesAs,
      r.background.word,
      r.person.backgroundStudy === 'cleared' ? r.person.backgroundExpiresOn : null,
      ...trainings.map((t) => {
        const s = r.statuses.find((x) => x.training.id === t.id);
        if (!s) return 'not required';
        const word = STANDING_WORDS[s.standing];
        if ((s.standing === 'current' || s.standing === 'expiring_soon') && s.expiresOn) return `${word} (expires ${s.expiresOn})`;
        if (s.standing === 'expired') return `${word} on ${s.expiresOn}`;
        return word;
      }),
      r.awaiting,
      r.canCoverNow.map((room) => room.name).join('; '),
      r.availableToday,
    ]);
    res.set({
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="volunteer-pool-${pool.when.day}.csv"`,
      'Cache-Control': 'private, no-store',
    });
    // The byte-order mark lets spreadsheet programs read the names as UTF-8.
    res.send(`\uFEFF${csvDocument(header, body)}`);
  });

  // ---------------------------------------------------------------- background study

  const personInPath = async (member: CenterMember, raw: unknown): Promise<Person> => {
    const id = idIn(raw);
    const person = id ? await findPersonInCenter(db, member.center.id, id) : undefined;
    if (!person) throw new NotFound('person');
    return person;
  };

  /**
   * Nobody records their own background study, as nobody verifies their own training: a director
   * on file as a person could otherwise clear themselves to be counted with children. Any
   * membership of the user acting as the person counts (an owner may also hold one as a director).
   */
  const isOwn = async (member: CenterMember, person: Person) =>
    (member.personId !== null && member.personId === person.id) || (await isUserThePerson(db, member.userId, person.id));

  const renderStudy = async (
    res: import('express').Response,
    member: CenterMember,
    person: Person,
    status: number,
    failed?: { values: Record<string, string>; errors: FieldErrors },
    own = false,
  ) => {
    const { pack } = await centerPack(db, member.center);
    const values = failed?.values ?? { status: person.backgroundStudy, clearedOn: person.backgroundClearedOn ?? '', expiresOn: person.backgroundExpiresOn ?? '' };
    const rule = pack.backgroundStudy;
    res.status(status).render('volunteers/background-study', {
      title: 'Background study',
      center: { id: member.center.id, name: member.center.name },
      action: `/centers/${member.center.id}/people/${person.id}/background-study`,
      person: { name: person.displayName, role: PERSON_ROLE_WORDS[person.role] ?? person.role },
      values,
      statuses: BACKGROUND_STUDY_STATUSES.map((s) => ({ value: s, label: STUDY_LABELS[s] ?? s, checked: values.status === s })),
      errors: failed?.errors ?? {},
      ownRefused: own ? OWN_STUDY_REFUSED : undefined,
      packName: pack.name,
      rules: BACKGROUND_STUDY_STATUSES.map((s) => {
        const r = rule.byStatus[s];
        return {
          label: STUDY_LABELS[s] ?? s,
          present: r.present === 'supervised_only' ? 'Only under direct supervision' : r.present ? 'Yes' : 'No',
          counted: r.counted ? 'Yes' : 'No',
          cite: r.cite,
        };
      }),
      expiry: rule.expiryMonths === null ? `${pack.name} sets no expiry; enter one only if the study's notice gives one.` : `${pack.name}: a cleared study holds ${rule.expiryMonths} months; left empty, the expiry is counted from the date cleared.`,
      note: rule.note,
      cite: rule.cite,
      today: DateTime.fromJSDate(clock.now()).setZone(member.center.timeZone).toISODate(),
    });
  };

  router.get('/centers/:centerId/people/:personId/background-study', guard(deps, 'background_study.view'), async (req, res) => {
    const member = memberOf(req);
    const person = await personInPath(member, req.params.personId);
    await renderStudy(res, member, person, 200, undefined, await isOwn(member, person));
  });

  router.post('/centers/:centerId/people/:personId/background-study', guard(deps, 'background_study.update'), async (req, res) => {
    const member = memberOf(req);
    const person = await personInPath(member, req.params.personId);
    if (await isOwn(member, person)) {
      if (req.accepts(['html', 'json']) === 'json') return res.status(403).json({ error: OWN_STUDY_REFUSED });
      return renderStudy(res, member, person, 403, undefined, true);
    }
    const today = DateTime.fromJSDate(clock.now()).setZone(member.center.timeZone).toISODate()!;
    const { pack } = await centerPack(db, member.center);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const cleared = body.status === 'cleared';
    const StudyForm = z
      .object({
        status: z.enum(BACKGROUND_STUDY_STATUSES, { error: 'Choose one of the statuses listed.' }),
        // Dates matter only for a cleared study; for any other status they are dropped.
        clearedOn: cleared ? civilDate('Enter the date the study was cleared.').refine((d) => d <= today, 'The date cannot be in the future.') : z.unknown().optional().transform(() => null),
        expiresOn: cleared ? optionalCivilDate() : z.unknown().optional().transform(() => null),
      })
      .refine((f) => f.clearedOn === null || f.expiresOn === null || f.expiresOn > f.clearedOn, { path: ['expiresOn'], message: 'The expiry must be after the date cleared.' });
    const form = StudyForm.safeParse(body);
    if (!form.success) return renderStudy(res, member, person, 422, { values: keptStrings(body, STUDY_FIELDS), errors: fieldErrors(form.error) });
    const months = pack.backgroundStudy.expiryMonths;
    const expiresOn =
      form.data.expiresOn ?? (form.data.clearedOn && months !== null ? DateTime.fromISO(form.data.clearedOn).plus({ months }).toISODate() : null);
    const after = { status: form.data.status, clearedOn: form.data.clearedOn as string | null, expiresOn };
    const before = { status: person.backgroundStudy, clearedOn: person.backgroundClearedOn, expiresOn: person.backgroundExpiresOn };
    const at = clock.now();
    if (JSON.stringify(before) !== JSON.stringify(after)) {
      await db.transaction(async (trx) => {
        if (!(await updateBackgroundStudy(trx, member.center.id, person.id, after))) return;
        await appendAudit(trx, {
          ...actedBy(member, at),
          action: 'background_study.updated',
          recordType: 'person',
          recordId: person.id,
          before,
          after,
        });
      });
    }
    res.redirect(303, person.role === 'volunteer' ? `/centers/${member.center.id}/volunteers#person-${person.id}` : `/centers/${member.center.id}/people/${person.id}/background-study`);
  });

  return router;
}
