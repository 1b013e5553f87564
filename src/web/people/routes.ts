import { Router, type Request, type Response } from 'express';
import { archiveRoutes } from '../archiving.js';
import { DateTime } from 'luxon';
import { appendAudit } from '../../db/audit.js';
import type { CenterMember } from '../../db/memberships.js';
import { createPerson, findPersonInCenter, listPeopleInCenter, listPeopleWithoutAccount, updatePerson } from '../../db/people.js';
import { findActiveMembershipOfPerson } from '../../db/memberships.js';
import { planBulkInvitations } from '../../services/bulk-invitations.js';
import type { Person } from '../../db/rows.js';
import { parseCivilDate, wholeYearsBetween } from '../../domain/calendar.js';
import { ROLES, type RulePack } from '../../domain/rule-pack.js';
import { getPack } from '../../domain/rules/index.js';
import type { Deps } from '../deps.js';
import { memberOf } from '../auth/current.js';
import { guard } from '../auth/guard.js';
import { can } from '../auth/policy.js';
import { changedFields, actedBy } from '../../services/acted-by.js';
import { NotFound } from '../errors.js';
import { confirmSaved, fieldErrors, keptValues, type FieldErrors } from '../forms.js';
import { PERSON_ROLE_LABELS, STUDY_LABELS } from '../labels.js';
import { PERSON_FIELDS, personForm, type PersonForm } from './schema.js';
import { idIn } from '../ids.js';

/**
 * Center set-up: the people who may be with children (staff and volunteers alike).
 * The background study is shown here but edited with the volunteer pool.
 */
export function peopleRoutes(deps: Deps): Router {
  const { db, clock } = deps;
  const router = Router();

  const packOf = (member: CenterMember): RulePack => {
    const pack = getPack(member.center.packId);
    if (!pack) throw new Error(`center ${member.center.id} has an unknown pack`);
    return pack;
  };
  const todayIn = (member: CenterMember) => DateTime.fromJSDate(clock.now(), { zone: member.center.timeZone }).toISODate()!;
  const base = (member: CenterMember) => `/centers/${member.center.id}/people`;

  /** The person in the path, in this center (archived too), or 404. */
  const personOf = async (req: Request): Promise<Person> => {
    const id = idIn(req.params.personId);
    const person = id ? await findPersonInCenter(db, memberOf(req).center.id, id) : undefined;
    if (!person) throw new NotFound('person');
    return person;
  };

  const audited = (p: { displayName: string; role: string; qualifiesAs: string | null; birthDate: string | null; adultAttested: boolean; startedOn: string | null; email?: string | null }) => ({
    displayName: p.displayName,
    role: p.role,
    qualifiesAs: p.qualifiesAs,
    birthDate: p.birthDate,
    adultAttested: p.adultAttested,
    startedOn: p.startedOn,
    email: p.email ?? null,
  });

  const capitalized = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
  const levelLabel = (pack: RulePack, level: string | null) => (level ? capitalized(pack.levels.find((l) => l.level === level)?.label ?? level.replaceAll('_', ' ')) : '');

  /** Whether the person's account is linked: then their email is the account's, and the form keeps none. */
  const hasAccount = async (person?: Person) => person !== undefined && (await findActiveMembershipOfPerson(db, person.id)) !== undefined;

  const renderForm = async (res: Response, member: CenterMember, status: number, values: Record<string, string>, errors: FieldErrors, person?: Person) => {
    const pack = packOf(member);
    const linked = await hasAccount(person);
    res.status(status).render(person ? 'people/edit' : 'people/new', {
      title: person ? `Edit ${person.displayName}` : 'Add a person',
      center: { id: member.center.id, name: member.center.name },
      person: person && {
        id: person.id,
        displayName: person.displayName,
        archived: person.archivedAt !== null,
        backgroundStudy: STUDY_LABELS[person.backgroundStudy] ?? person.backgroundStudy,
        backgroundClearedOn: person.backgroundClearedOn,
        backgroundExpiresOn: person.backgroundExpiresOn,
      },
      action: person ? `${base(member)}/${person.id}/edit` : base(member),
      back: base(member),
      today: todayIn(member),
      values,
      adult: values.adultAttested !== undefined && values.adultAttested !== '',
      // Managers only (the form is theirs); once the person has an account, its own email is used.
      showEmail: !linked,
      roles: ROLES.map((r) => ({ value: r, label: PERSON_ROLE_LABELS[r] ?? r, selected: values.role === r })),
      // Lowest first in the pack; shown highest first, as directors think of them.
      levels: [...pack.levels].reverse().map((l) => ({ value: l.level, label: capitalized(l.label), selected: values.qualifiesAs === l.level })),
      errors,
    });
  };

  const valuesOf = (p: Person): Record<string, string> => ({
    displayName: p.displayName,
    role: p.role,
    qualifiesAs: p.qualifiesAs ?? '',
    birthDate: p.birthDate ?? '',
    adultAttested: p.adultAttested ? 'on' : '',
    startedOn: p.startedOn ?? '',
    email: p.email ?? '',
  });

  const parse = (req: Request, member: CenterMember) => personForm({ pack: packOf(member), today: todayIn(member) }).safeParse(req.body ?? {});

  router.get('/centers/:centerId/people', guard(deps, 'people.list'), async (req, res) => {
    const member = memberOf(req);
    const pack = packOf(member);
    const today = parseCivilDate(todayIn(member))!;
    const showArchived = req.query.archived === '1';
    const [all, withoutAccount] = await Promise.all([listPeopleInCenter(db, member.center.id, { includeArchived: true }), listPeopleWithoutAccount(db, member.center.id)]);
    const noAccount = new Set(withoutAccount.map((p) => p.id));
    const manage = can(member, 'person.update');
    const bulk = can(member, 'invitations.bulk_create')
      ? await planBulkInvitations(db, member.center.id, (role) => can(member, 'invitation.create', { role }), clock.now())
      : undefined;
    // What was just done (an import: web/import); shown once.
    const flash = req.session.flash;
    if (flash) delete req.session.flash;
    res.render('people/index', {
      title: 'People',
      flash,
      canImport: can(member, 'roster.import'),
      center: { id: member.center.id, name: member.center.name },
      canCreate: can(member, 'person.create'),
      bulk: bulk && {
        action: `/centers/${member.center.id}/invitations/bulk`,
        count: bulk.invite.length,
        openInvitations: bulk.skipped.filter((s) => s.reason === 'open_invitation').length,
        notGranted: bulk.skipped.filter((s) => s.reason === 'role_not_granted').length,
        withoutEmail: bulk.withoutEmail,
      },
      showArchived,
      archivedCount: all.filter((p) => p.archivedAt !== null).length,
      people: all
        .filter((p) => showArchived || p.archivedAt === null)
        .map((p) => {
          const birth = p.birthDate ? parseCivilDate(p.birthDate) : null;
          return {
            id: p.id,
            displayName: p.displayName,
            role: PERSON_ROLE_LABELS[p.role] ?? p.role,
            level: levelLabel(pack, p.qualifiesAs),
            age: birth ? `${wholeYearsBetween(birth, today)}` : p.adultAttested ? '18 or older' : 'Not given',
            startedOn: p.startedOn ?? '—',
            backgroundStudy: STUDY_LABELS[p.backgroundStudy] ?? p.backgroundStudy,
            // An archived person is in neither list: shown as having no account.
            account: p.archivedAt === null && !noAccount.has(p.id) ? 'Has an account' : p.email ?? '',
            archived: p.archivedAt !== null,
            canEdit: manage,
            canArchive: p.archivedAt === null && can(member, 'person.archive'),
            canUnarchive: p.archivedAt !== null && can(member, 'person.unarchive'),
          };
        }),
    });
  });

  router.get('/centers/:centerId/people/new', guard(deps, 'person.create'), async (req, res) => {
    await renderForm(res, memberOf(req), 200, { displayName: '', role: 'teacher', qualifiesAs: '', birthDate: '', adultAttested: '', startedOn: '', email: '' }, {});
  });

  router.post('/centers/:centerId/people', guard(deps, 'person.create'), async (req, res) => {
    const member = memberOf(req);
    const form = parse(req, member);
    if (!form.success) return renderForm(res, member, 422, keptValues(req, PERSON_FIELDS), fieldErrors(form.error));
    const data: PersonForm = form.data;
    const at = clock.now();
    await db.transaction(async (trx) => {
      const person = await createPerson(trx, { centerId: member.center.id, ...data, at });
      await appendAudit(trx, {
        ...actedBy(member, at),
        action: 'person.created',
        recordType: 'person',
        recordId: person.id,
        after: audited(data),
      });
    });
    confirmSaved(req, `${data.displayName} added.`);
    res.redirect(303, base(member));
  });

  router.get('/centers/:centerId/people/:personId/edit', guard(deps, 'person.update'), async (req, res) => {
    const member = memberOf(req);
    const person = await personOf(req);
    await renderForm(res, member, 200, valuesOf(person), {}, person);
  });

  router.post('/centers/:centerId/people/:personId/edit', guard(deps, 'person.update'), async (req, res) => {
    const member = memberOf(req);
    const person = await personOf(req);
    const form = parse(req, member);
    if (!form.success) return renderForm(res, member, 422, keptValues(req, PERSON_FIELDS), fieldErrors(form.error), person);
    // A person with an account keeps no email of their own: whatever was posted is ignored.
    const data: PersonForm = (await hasAccount(person)) ? { ...form.data, email: person.email } : form.data;
    const diff = changedFields(audited(person), audited(data));
    if (diff) {
      const at = clock.now();
      await db.transaction(async (trx) => {
        if (!(await updatePerson(trx, member.center.id, person.id, data))) return;
        await appendAudit(trx, {
          ...actedBy(member, at),
          action: 'person.updated',
          recordType: 'person',
          recordId: person.id,
          ...diff,
        });
      });
    }
    confirmSaved(req, diff ? `${data.displayName} saved.` : `Nothing changed for ${person.displayName}.`);
    res.redirect(303, base(member));
  });


  archiveRoutes(router, deps, {
    table: 'people',
    recordType: 'person',
    path: '/centers/:centerId/people/:personId',
    actions: { archive: 'person.archive', unarchive: 'person.unarchive' },
    find: personOf,
    listPath: base,
  });

  return router;
}
