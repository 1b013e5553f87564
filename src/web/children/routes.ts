import { Router, type Request, type Response } from 'express';
import { archiveRoutes } from '../archiving.js';
import { DateTime } from 'luxon';
import { appendAudit } from '../../db/audit.js';
import { listScheduleOfChild, listSchedulesInCenter, replaceScheduleOfChild } from '../../db/child-schedules.js';
import { createChild, findChildInCenter, listChildrenInCenter, updateChild } from '../../db/children.js';
import type { CenterMember } from '../../db/memberships.js';
import { listRoomsInCenter } from '../../db/rooms.js';
import type { Child, ChildScheduleDay, Room } from '../../db/rows.js';
import { ageOn, placeInBand } from '../../domain/age.js';
import { parseCivilDate } from '../../domain/calendar.js';
import type { RulePack } from '../../domain/rule-pack.js';
import { getPack } from '../../domain/rules/index.js';
import type { Deps } from '../deps.js';
import { memberOf } from '../auth/current.js';
import { guard } from '../auth/guard.js';
import { can } from '../auth/policy.js';
import { changedFields, actedBy } from '../../services/acted-by.js';
import { NotFound } from '../errors.js';
import { confirmSaved, fieldErrors, keptValues, type FieldErrors } from '../forms.js';
import { WEEKDAYS } from '../labels.js';
import { CHILD_FIELDS, childForm, designationOptions, type ChildForm } from './schema.js';
import { idIn } from '../ids.js';
import { rangeText } from '../../words/format.js';

/** Center set-up: a director's children (display name and birth date only), their home room and weekly schedule. */
export function childRoutes(deps: Deps): Router {
  const { db, clock } = deps;
  const router = Router();

  const packOf = (member: CenterMember): RulePack => {
    const pack = getPack(member.center.packId);
    if (!pack) throw new Error(`center ${member.center.id} has an unknown pack`);
    return pack;
  };
  const todayIn = (member: CenterMember) => DateTime.fromJSDate(clock.now(), { zone: member.center.timeZone }).toISODate()!;
  const base = (member: CenterMember) => `/centers/${member.center.id}/children`;

  /** The child in the path, in this center (archived too), or 404. */
  const childOf = async (req: Request): Promise<Child> => {
    const id = idIn(req.params.childId);
    const child = id ? await findChildInCenter(db, memberOf(req).center.id, id) : undefined;
    if (!child) throw new NotFound('child');
    return child;
  };

  /** Rooms a child may be given: active ones, and the child's own home room even when archived (it keeps it). */
  const placeableRooms = async (member: CenterMember, child?: Child): Promise<Room[]> => {
    const rooms = await listRoomsInCenter(db, member.center.id, { includeArchived: true });
    return rooms.filter((r) => r.archivedAt === null || r.id === child?.homeRoomId);
  };

  type Designation = Child['designation'];
  const audited = (
    c: { displayName: string; birthDate: string; attendsKindergarten: boolean; homeRoomId: string | null; designation?: Designation | undefined; dedicatedStaff?: number | null | undefined },
    schedule: readonly { weekday: number; arrive: string; depart: string }[],
  ) => ({
    displayName: c.displayName,
    birthDate: c.birthDate,
    attendsKindergarten: c.attendsKindergarten,
    homeRoomId: c.homeRoomId,
    designation: c.designation ? `${c.designation.basis}:${c.designation.band} ${c.designation.on ?? ''}`.trim() : null,
    dedicatedStaff: c.dedicatedStaff ?? null,
    schedule: schedule.map((d) => `${WEEKDAYS[d.weekday - 1]!.short} ${d.arrive}-${d.depart}`),
  });
  /** The form's data with a designation or dedicated staff left out of it kept as the child has them. */
  const withKept = (data: ChildForm, child?: Child) => ({
    ...data,
    designation: data.designation === undefined ? (child?.designation ?? null) : data.designation,
    dedicatedStaff: data.dedicatedStaff === undefined ? (child?.dedicatedStaff ?? null) : data.dedicatedStaff,
  });

  const valuesOf = (child: Child, schedule: readonly ChildScheduleDay[]): Record<string, string> => {
    const values: Record<string, string> = { displayName: child.displayName, birthDate: child.birthDate, homeRoomId: child.homeRoomId ?? '' };
    if (child.attendsKindergarten) values.attendsKindergarten = 'on';
    values.designation = child.designation ? `${child.designation.basis}:${child.designation.band}` : '';
    values.designationOn = child.designation?.on ?? '';
    values.dedicatedStaff = child.dedicatedStaff === null ? '' : String(child.dedicatedStaff);
    for (const d of schedule) {
      values[`attends${d.weekday}`] = 'on';
      values[`arrive${d.weekday}`] = d.arrive;
      values[`depart${d.weekday}`] = d.depart;
    }
    return values;
  };

  const keptChildValues = (req: Request): Record<string, string> =>
    keptValues(req, [...CHILD_FIELDS, 'attendsKindergarten', 'designation', 'designationOn', 'dedicatedStaff', ...WEEKDAYS.map(({ weekday }) => `attends${weekday}`)]);

  const renderForm = async (res: Response, member: CenterMember, status: number, values: Record<string, string>, errors: FieldErrors, child?: Child) => {
    const rooms = await placeableRooms(member, child);
    const pack = packOf(member);
    // Only what the center's pack recognizes: designations, and staff a child's own plan asks for.
    const options = designationOptions(pack);
    res.status(status).render(child ? 'children/edit' : 'children/new', {
      designations: options.length > 0 ? [{ value: '', label: 'None: the category the age gives', selected: !values.designation }, ...options.map((o) => ({ ...o, selected: values.designation === o.value }))] : null,
      individualStaffing: pack.individualStaffing ? pack.individualStaffing.cite : null,
      title: child ? `Edit ${child.displayName}` : 'Add a child',
      center: { id: member.center.id, name: member.center.name },
      child: child && { id: child.id, displayName: child.displayName, archived: child.archivedAt !== null },
      action: child ? `${base(member)}/${child.id}/edit` : base(member),
      back: base(member),
      today: todayIn(member),
      values,
      kindergarten: values.attendsKindergarten !== undefined && values.attendsKindergarten !== '',
      rooms: rooms.map((r) => ({ value: r.id, label: r.archivedAt ? `${r.name} (archived)` : r.name, selected: values.homeRoomId === r.id })),
      noRooms: rooms.length === 0,
      days: WEEKDAYS.map(({ weekday, label }) => ({
        weekday,
        label,
        weekend: weekday >= 6,
        attends: values[`attends${weekday}`] !== undefined && values[`attends${weekday}`] !== '',
        arrive: values[`arrive${weekday}`] ?? '',
        depart: values[`depart${weekday}`] ?? '',
        arriveError: errors[`arrive${weekday}`],
        departError: errors[`depart${weekday}`],
      })),
      errors,
    });
  };

  const parse = async (req: Request, member: CenterMember, child?: Child) => {
    const rooms = await placeableRooms(member, child);
    return childForm({ pack: packOf(member), today: todayIn(member), roomIds: rooms.map((r) => r.id) }).safeParse(req.body ?? {});
  };

  router.get('/centers/:centerId/children', guard(deps, 'children.list'), async (req, res) => {
    const member = memberOf(req);
    const pack = packOf(member);
    const today = parseCivilDate(todayIn(member))!;
    const showArchived = req.query.archived === '1';
    const [all, rooms, schedules] = await Promise.all([
      listChildrenInCenter(db, member.center.id, { includeArchived: true }),
      listRoomsInCenter(db, member.center.id, { includeArchived: true }),
      listSchedulesInCenter(db, member.center.id),
    ]);
    const roomById = new Map(rooms.map((r) => [r.id, r]));
    const daysByChild = new Map<string, ChildScheduleDay[]>();
    for (const d of schedules) daysByChild.set(d.childId, [...(daysByChild.get(d.childId) ?? []), d]);
    const manage = can(member, 'child.update');
    // What was just done (an import: web/import); shown once.
    const flash = req.session.flash;
    if (flash) delete req.session.flash;
    res.render('children/index', {
      title: 'Children',
      flash,
      canImport: can(member, 'roster.import'),
      center: { id: member.center.id, name: member.center.name },
      canCreate: can(member, 'child.create'),
      showArchived,
      archivedCount: all.filter((c) => c.archivedAt !== null).length,
      children: all
        .filter((c) => showArchived || c.archivedAt === null)
        .map((c) => {
          const room = c.homeRoomId ? roomById.get(c.homeRoomId) : undefined;
          const birth = parseCivilDate(c.birthDate);
          const placement = birth && placeInBand(pack, ageOn(birth, today), c.attendsKindergarten);
          return {
            id: c.id,
            displayName: c.displayName,
            birthDate: c.birthDate,
            ageGroup: placement ? (placement.belowMinimum ? `Younger than ${pack.minimumAge?.text ?? 'the youngest category'}` : pack.bands[placement.bandIndex]!.label) : '',
            homeRoom: room?.name ?? '—',
            homeRoomArchived: room?.archivedAt != null,
            schedule: (daysByChild.get(c.id) ?? []).map((d) => `${WEEKDAYS[d.weekday - 1]!.short} ${rangeText(d.arrive, d.depart)}`),
            archived: c.archivedAt !== null,
            canEdit: manage,
            canArchive: c.archivedAt === null && can(member, 'child.archive'),
            canUnarchive: c.archivedAt !== null && can(member, 'child.unarchive'),
          };
        }),
    });
  });

  router.get('/centers/:centerId/children/new', guard(deps, 'child.create'), async (req, res) => {
    const member = memberOf(req);
    const defaults: Record<string, string> = { displayName: '', birthDate: '', homeRoomId: '' };
    // The center's hours as a starting point: ticking a day is then often all it takes.
    for (const { weekday } of WEEKDAYS) {
      defaults[`arrive${weekday}`] = member.center.opensAt;
      defaults[`depart${weekday}`] = member.center.closesAt;
    }
    await renderForm(res, member, 200, defaults, {});
  });

  router.post('/centers/:centerId/children', guard(deps, 'child.create'), async (req, res) => {
    const member = memberOf(req);
    const form = await parse(req, member);
    if (!form.success) return renderForm(res, member, 422, keptChildValues(req), fieldErrors(form.error));
    const data: ChildForm = form.data;
    const at = clock.now();
    await db.transaction(async (trx) => {
      const child = await createChild(trx, { centerId: member.center.id, ...withKept(data), at });
      await replaceScheduleOfChild(trx, child.id, data.schedule);
      await appendAudit(trx, {
        ...actedBy(member, at),
        action: 'child.created',
        recordType: 'child',
        recordId: child.id,
        after: audited(withKept(data), data.schedule),
      });
    });
    confirmSaved(req, `${data.displayName} added.`);
    res.redirect(303, base(member));
  });

  router.get('/centers/:centerId/children/:childId/edit', guard(deps, 'child.update'), async (req, res) => {
    const member = memberOf(req);
    const child = await childOf(req);
    await renderForm(res, member, 200, valuesOf(child, await listScheduleOfChild(db, child.id)), {}, child);
  });

  router.post('/centers/:centerId/children/:childId/edit', guard(deps, 'child.update'), async (req, res) => {
    const member = memberOf(req);
    const child = await childOf(req);
    const form = await parse(req, member, child);
    if (!form.success) return renderForm(res, member, 422, keptChildValues(req), fieldErrors(form.error), child);
    const data: ChildForm = form.data;
    const before = audited(child, await listScheduleOfChild(db, child.id));
    const diff = changedFields(before, audited(withKept(data, child), data.schedule));
    if (diff) {
      const at = clock.now();
      await db.transaction(async (trx) => {
        if (!(await updateChild(trx, member.center.id, child.id, withKept(data, child)))) return;
        // The schedule is replaced as a whole, with the child, or not at all.
        await replaceScheduleOfChild(trx, child.id, data.schedule);
        await appendAudit(trx, {
          ...actedBy(member, at),
          action: 'child.updated',
          recordType: 'child',
          recordId: child.id,
          ...diff,
        });
      });
    }
    confirmSaved(req, diff ? `${data.displayName} saved.` : `Nothing changed for ${child.displayName}.`);
    res.redirect(303, base(member));
  });


  archiveRoutes(router, deps, {
    table: 'children',
    recordType: 'child',
    path: '/centers/:centerId/children/:childId',
    actions: { archive: 'child.archive', unarchive: 'child.unarchive' },
    find: childOf,
    listPath: base,
  });

  return router;
}
