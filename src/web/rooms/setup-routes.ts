import { Router, type Request, type Response } from 'express';
import { archiveRoutes } from '../archiving.js';
import { appendAudit } from '../../db/audit.js';
import type { CenterMember } from '../../db/memberships.js';
import { createRoom, findRoomInCenter, listRoomsInCenter, updateRoom } from '../../db/rooms.js';
import type { Room } from '../../db/rows.js';
import { strictestGroupSize } from '../../domain/group-size.js';
import { COARSE_CATEGORIES, isCoarseCategory, type RulePack } from '../../domain/rule-pack.js';
import { getPack } from '../../domain/rules/index.js';
import type { Deps } from '../deps.js';
import { memberOf } from '../auth/current.js';
import { guard } from '../auth/guard.js';
import { can } from '../auth/policy.js';
import { changedFields, actedBy } from '../../services/acted-by.js';
import { NotFound } from '../errors.js';
import { confirmSaved, fieldErrors, keptValues, listOf, takeFlash, type FieldErrors } from '../forms.js';
import { CATEGORY_LABELS } from '../labels.js';
import { ROOM_FIELDS, packLimitsHint, roomForm, type RoomForm } from './setup-schema.js';
import { idIn } from '../ids.js';
import { nextOf, setupPath, withNext, type Next } from '../setup/next.js';

/**
 * Center set-up: a director's rooms. The room page itself (GET /centers/:centerId/rooms/:roomId)
 * belongs to check-in; these routes are the list and the forms around it.
 */
export function roomSetupRoutes(deps: Deps): Router {
  const { db, clock } = deps;
  const router = Router();

  const packOf = (member: CenterMember): RulePack => {
    const pack = getPack(member.center.packId);
    if (!pack) throw new Error(`center ${member.center.id} has an unknown pack`);
    return pack;
  };

  /** The room in the path, in this center (archived too), or 404. */
  const roomOf = async (req: Request): Promise<Room> => {
    const id = idIn(req.params.roomId);
    const room = id ? await findRoomInCenter(db, memberOf(req).center.id, id) : undefined;
    if (!room) throw new NotFound('room');
    return room;
  };

  const base = (member: CenterMember) => `/centers/${member.center.id}/rooms`;

  /** What the audit log keeps of a room. */
  const audited = (r: { name: string; ageCategories: readonly string[]; licensedCapacity: number; maxGroupSize: number | null; nightProgram?: boolean | undefined }) => ({
    name: r.name,
    ageCategories: [...r.ageCategories],
    licensedCapacity: r.licensedCapacity,
    maxGroupSize: r.maxGroupSize,
    nightProgram: r.nightProgram ?? false,
  });
  /** The form's night program, where the form showed the box; else the room's (or none). */
  const nightOf = (data: RoomForm, room?: Room) => (data.nightProgramShown !== undefined ? data.nightProgram : (room?.nightProgram ?? false));

  const renderForm = (
    res: Response,
    member: CenterMember,
    view: 'rooms/new' | 'rooms/edit',
    status: number,
    values: Record<string, string>,
    categories: readonly string[],
    errors: FieldErrors,
    next: Next | undefined,
    room?: Room,
  ) => {
    const pack = packOf(member);
    res.status(status).render(view, {
      title: room ? `Edit ${room.name}` : 'Add a room',
      center: { id: member.center.id, name: member.center.name },
      room: room && { id: room.id, name: room.name, archived: room.archivedAt !== null },
      action: withNext(room ? `${base(member)}/${room.id}/edit` : base(member), next),
      back: next ? setupPath(member.center.id) : base(member),
      backText: next ? 'Back to the set-up checklist' : 'Back to rooms',
      fromSetup: next !== undefined,
      values,
      categories: COARSE_CATEGORIES.map((c) => ({ value: c, label: CATEGORY_LABELS[c], checked: categories.includes(c) })),
      groupSizeHint: packLimitsHint(pack),
      nightCare: pack.nightCare
        ? {
            checked: values.nightProgram === 'on',
            rule: `at least ${pack.nightCare.minStaff} counted staff, one of them a ${pack.levels.find((l) => l.level === pack.nightCare!.leadLevel)?.label ?? pack.nightCare.leadLevel} (${pack.nightCare.cite})`,
          }
        : null,
      errors,
    });
  };

  const formInput = (req: Request) => ({ ...(req.body ?? {}), ageCategories: listOf(req.body, 'ageCategories') });

  router.get('/centers/:centerId/rooms', guard(deps, 'rooms.list'), async (req, res) => {
    const member = memberOf(req);
    const pack = packOf(member);
    const showArchived = req.query.archived === '1';
    const all = await listRoomsInCenter(db, member.center.id, { includeArchived: true });
    const archivedCount = all.filter((r) => r.archivedAt !== null).length;
    const manage = can(member, 'room.update');
    res.render('rooms/index', {
      title: 'Rooms',
      flash: takeFlash(req),
      center: { id: member.center.id, name: member.center.name },
      canCreate: can(member, 'room.create'),
      showArchived,
      archivedCount,
      rooms: all
        .filter((r) => showArchived || r.archivedAt === null)
        .map((r) => {
          const packLimit = strictestGroupSize(pack, r.ageCategories.filter(isCoarseCategory));
          return {
            id: r.id,
            name: r.name,
            categories: r.ageCategories.map((c) => CATEGORY_LABELS[c] ?? c).join(', '),
            capacity: r.licensedCapacity,
            groupSize: r.maxGroupSize ?? packLimit?.limit ?? '—',
            groupSizeSource: r.maxGroupSize !== null ? 'room' : packLimit ? 'pack' : '',
            archived: r.archivedAt !== null,
            canEdit: manage,
            canArchive: r.archivedAt === null && can(member, 'room.archive'),
            canUnarchive: r.archivedAt !== null && can(member, 'room.unarchive'),
          };
        }),
    });
  });

  router.get('/centers/:centerId/rooms/new', guard(deps, 'room.create'), async (req, res) => {
    renderForm(res, memberOf(req), 'rooms/new', 200, { name: '', licensedCapacity: '', maxGroupSize: '' }, [], {}, nextOf(req));
  });

  router.post('/centers/:centerId/rooms', guard(deps, 'room.create'), async (req, res) => {
    const member = memberOf(req);
    const next = nextOf(req);
    const form = roomForm(packOf(member)).safeParse(formInput(req));
    if (!form.success) return renderForm(res, member, 'rooms/new', 422, keptValues(req, ROOM_FIELDS), listOf(req.body, 'ageCategories'), fieldErrors(form.error), next);
    const at = clock.now();
    await db.transaction(async (trx) => {
      const room = await createRoom(trx, { centerId: member.center.id, ...form.data, nightProgram: nightOf(form.data), at });
      await appendAudit(trx, {
        ...actedBy(member, at),
        action: 'room.created',
        recordType: 'room',
        recordId: room.id,
        after: audited(room),
      });
    });
    // From the set-up, back to its checklist, which lists the rooms added so far.
    if (!next) confirmSaved(req, `${form.data.name} added.`);
    res.redirect(303, next ? setupPath(member.center.id) : base(member));
  });

  router.get('/centers/:centerId/rooms/:roomId/edit', guard(deps, 'room.update'), async (req, res) => {
    const member = memberOf(req);
    const room = await roomOf(req);
    const values = { name: room.name, licensedCapacity: String(room.licensedCapacity), maxGroupSize: room.maxGroupSize === null ? '' : String(room.maxGroupSize), nightProgram: room.nightProgram ? 'on' : '' };
    renderForm(res, member, 'rooms/edit', 200, values, room.ageCategories, {}, nextOf(req), room);
  });

  router.post('/centers/:centerId/rooms/:roomId/edit', guard(deps, 'room.update'), async (req, res) => {
    const member = memberOf(req);
    const room = await roomOf(req);
    const next = nextOf(req);
    const form = roomForm(packOf(member)).safeParse(formInput(req));
    if (!form.success) return renderForm(res, member, 'rooms/edit', 422, keptValues(req, ROOM_FIELDS), listOf(req.body, 'ageCategories'), fieldErrors(form.error), next, room);
    const data = { ...form.data, nightProgram: nightOf(form.data, room) };
    const diff = changedFields(audited(room), audited(data));
    if (diff) {
      const at = clock.now();
      await db.transaction(async (trx) => {
        if (!(await updateRoom(trx, member.center.id, room.id, data))) return;
        await appendAudit(trx, {
          ...actedBy(member, at),
          action: 'room.updated',
          recordType: 'room',
          recordId: room.id,
          ...diff,
        });
      });
    }
    if (!next) confirmSaved(req, diff ? `${data.name} saved.` : `Nothing changed for ${room.name}.`);
    res.redirect(303, next ? setupPath(member.center.id) : base(member));
  });

  // Archiving keeps the room and its history; children whose home room it is keep it (shown as archived).
  archiveRoutes(router, deps, {
    table: 'rooms',
    recordType: 'room',
    path: '/centers/:centerId/rooms/:roomId',
    actions: { archive: 'room.archive', unarchive: 'room.unarchive' },
    find: roomOf,
    listPath: base,
  });

  return router;
}
