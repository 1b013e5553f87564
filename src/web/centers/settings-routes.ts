import { Router, type Response } from 'express';
import { appendAudit } from '../../db/audit.js';
import { createCenter, findCenterInOrganization, updateCenterSettings } from '../../db/centers.js';
import type { Center } from '../../db/rows.js';
import { findOrganization } from '../../db/organizations.js';
import { packStatus } from '../../domain/rule-pack.js';
import { getPack, PACKS } from '../../domain/rules/index.js';
import { packHasWindows } from '../../services/day-hours.js';
import type { Deps } from '../deps.js';
import { memberOf, ownerOf } from '../auth/current.js';
import { guard } from '../auth/guard.js';
import { changedFields } from '../../services/acted-by.js';
import { NotFound } from '../errors.js';
import { confirmSaved, fieldErrors, keptValues, type FieldErrors } from '../forms.js';
import { CLAIM_MODE_LABELS } from '../labels.js';
import { nextOf, setupPath, withNext, type Next } from '../setup/next.js';
import { CenterSettingsForm, DEFAULT_TIME_ZONE, NEW_CENTER_FIELDS, NewCenterForm, SETTINGS_FIELDS, WINDOW_FIELDS } from './settings-schema.js';

/** Zones offered as suggestions; any IANA zone is accepted. */
const US_ZONES = [
  'America/New_York',
  'America/Chicago',
  'America/Denver',
  'America/Phoenix',
  'America/Los_Angeles',
  'America/Anchorage',
  'Pacific/Honolulu',
  'America/Puerto_Rico',
];

const packOptions = (chosen: string) =>
  PACKS.map((p) => ({
    value: p.id,
    label: packStatus(p) === 'draft' ? `${p.name} (draft)` : p.name,
    selected: p.id === chosen,
  }));

type DayWindow = { from: string; to: string } | null;
const windowText = (w: DayWindow | undefined) => (w ? `${w.from}-${w.to}` : null);

/** What the audit log keeps of a center's settings. */
const audited = (
  c: Omit<CenterSettingsForm, 'waveSize' | 'waveMinutes' | (typeof WINDOW_FIELDS)[number]> & { waveSize: number; waveMinutes: number; arrivalWindow?: DayWindow; departureWindow?: DayWindow },
) => ({
  name: c.name,
  licenseNumber: c.licenseNumber,
  packId: c.packId,
  timeZone: c.timeZone,
  opensAt: c.opensAt,
  closesAt: c.closesAt,
  forecastHorizonMinutes: c.forecastHorizonMinutes,
  graceMinutes: c.graceMinutes,
  expiryLeadDays: c.expiryLeadDays,
  claimMode: c.claimMode,
  waveSize: c.waveSize,
  waveMinutes: c.waveMinutes,
  arrivalWindow: windowText(c.arrivalWindow),
  departureWindow: windowText(c.departureWindow),
});

/** The window form fields of a center's stored windows. */
const windowValues = (c: Center): Record<(typeof WINDOW_FIELDS)[number], string> => ({
  arrivalFrom: c.arrivalWindow?.from ?? '',
  arrivalTo: c.arrivalWindow?.to ?? '',
  departureFrom: c.departureWindow?.from ?? '',
  departureTo: c.departureWindow?.to ?? '',
});

const windowOf = (from: string | undefined, to: string | undefined): DayWindow => (from && to ? { from, to } : null);

/** An owner's center set-up: creating a center for their organization, and every center's settings. */
export function centerSettingsRoutes(deps: Deps): Router {
  const { db, clock } = deps;
  const router = Router();

  const renderNew = async (res: Response, organizationId: string, status: number, values: Record<string, string>, errors: FieldErrors, next: Next | undefined) => {
    const organization = await findOrganization(db, organizationId);
    if (!organization) throw new NotFound('organization');
    res.status(status).render('centers/new', {
      title: next ? 'Set-up, step 1: the center' : 'Add a center',
      organization: { id: organization.id, name: organization.name },
      action: withNext(`/organizations/${organization.id}/centers`, next),
      setupHref: next ? `/organizations/${organization.id}/setup` : undefined,
      values,
      packs: packOptions(values.packId ?? ''),
      zones: US_ZONES,
      errors,
    });
  };

  router.get('/organizations/:organizationId/centers/new', guard(deps, 'center.create'), async (req, res) => {
    const owner = ownerOf(req);
    await renderNew(res, owner.organizationId, 200, { name: '', licenseNumber: '', packId: 'MN', timeZone: DEFAULT_TIME_ZONE, opensAt: '06:30', closesAt: '18:00' }, {}, nextOf(req));
  });

  router.post('/organizations/:organizationId/centers', guard(deps, 'center.create'), async (req, res) => {
    const owner = ownerOf(req);
    const next = nextOf(req);
    const form = NewCenterForm.safeParse(req.body ?? {});
    if (!form.success) return renderNew(res, owner.organizationId, 422, keptValues(req, NEW_CENTER_FIELDS), fieldErrors(form.error), next);
    const at = clock.now();
    const center = await db.transaction(async (trx) => {
      const created = await createCenter(trx, { organizationId: owner.organizationId, ...form.data, at });
      await appendAudit(trx, {
        at,
        organizationId: owner.organizationId,
        centerId: created.id,
        actorUserId: owner.userId,
        action: 'center.created',
        recordType: 'center',
        recordId: created.id,
        after: audited(created),
      });
      return created;
    });
    // Owners see every center of their organization: no membership to add. From the set-up, on to its rooms.
    res.redirect(303, next ? setupPath(center.id) : `/centers/${center.id}`);
  });

  const renderSettings = (res: Response, center: Center, status: number, values: Record<string, string>, errors: FieldErrors, next: Next | undefined) => {
    res.status(status).render('centers/settings', {
      emailNotConfigured: !deps.config.smtpUrl,
      title: 'Center settings',
      center: { id: center.id, name: center.name },
      action: withNext(`/centers/${center.id}/settings`, next),
      back: next ? { href: setupPath(center.id), text: 'Back to the set-up checklist' } : { href: `/centers/${center.id}`, text: `Back to ${center.name}` },
      setupHref: setupPath(center.id),
      values,
      packs: packOptions(values.packId ?? ''),
      zones: US_ZONES,
      claimModes: Object.entries(CLAIM_MODE_LABELS).map(([value, label]) => ({ value, label, checked: values.claimMode === value })),
      // Only a pack with arrival/departure stand-ins has windows to set (a Wisconsin center sees none).
      windows: packHasWindows(getPack(center.packId) ?? PACKS[0]!) ? windowsHint(center.packId) : null,
      errors,
    });
  };

  router.get('/centers/:centerId/settings', guard(deps, 'center_settings.update'), async (req, res) => {
    const { center } = memberOf(req);
    const values = { ...Object.fromEntries(Object.entries(audited(center)).map(([k, v]) => [k, v === null ? '' : String(v)])), ...windowValues(center) };
    renderSettings(res, center, 200, values, {}, nextOf(req));
  });

  router.post('/centers/:centerId/settings', guard(deps, 'center_settings.update'), async (req, res) => {
    const member = memberOf(req);
    const center = await findCenterInOrganization(db, member.center.organizationId, member.center.id);
    if (!center) throw new NotFound('center');
    const next = nextOf(req);
    // Window fields left out (another pack's page, an older form): the stored windows, checked against the hours as given.
    const body = { ...windowValues(center), ...(req.body ?? {}) };
    const form = CenterSettingsForm.safeParse(body);
    if (!form.success) return renderSettings(res, center, 422, { ...keptValues(req, SETTINGS_FIELDS), ...windowValues(center), ...keptValues(req, WINDOW_FIELDS.filter((f) => f in (req.body ?? {}))) }, fieldErrors(form.error), next);
    const { arrivalFrom, arrivalTo, departureFrom, departureTo, ...rest } = form.data;
    const pack = getPack(rest.packId);
    const windowsRead = pack !== undefined && packHasWindows(pack);
    const settings = {
      ...rest,
      waveSize: form.data.waveSize ?? center.waveSize,
      waveMinutes: form.data.waveMinutes ?? center.waveMinutes,
      arrivalWindow: windowsRead ? windowOf(arrivalFrom, arrivalTo) : center.arrivalWindow,
      departureWindow: windowsRead ? windowOf(departureFrom, departureTo) : center.departureWindow,
    };
    const diff = changedFields(audited(center), audited(settings));
    if (diff) {
      const at = clock.now();
      await db.transaction(async (trx) => {
        if (!(await updateCenterSettings(trx, center.organizationId, center.id, settings))) return;
        await appendAudit(trx, {
          at,
          organizationId: center.organizationId,
          centerId: center.id,
          actorUserId: member.userId,
          action: 'center.updated',
          recordType: 'center',
          recordId: center.id,
          ...diff,
        });
      });
    }
    if (!next) confirmSaved(req, diff ? 'Settings saved.' : 'Nothing changed in the settings.');
    res.redirect(303, next ? setupPath(center.id) : `/centers/${center.id}`);
  });

  return router;
}

/** What the windows are for, under the pack's rule. */
function windowsHint(packId: string): string {
  const rule = getPack(packId)?.distribution?.arrivalDepartureWindows;
  return rule ? `${rule.text} (${rule.cite.split(';')[0]!.trim()})` : '';
}
