import type { CenterMember } from '../../db/memberships.js';
import type { CallInRemedy, Remedy } from '../../domain/remedies/index.js';
import type { RemediesView } from '../../services/remedies.js';
import { labelText, rankText, refusalText, remedyText } from '../../words/remedies.js';
import { clockTime } from '../../words/format.js';
import { can } from '../auth/policy.js';

/**
 * The "What can fix this" panel's view model (views/partials/remedy-panel.hbs): the
 * ranked moves and merges (nobody new), then who could be called in, then those not
 * offered with what is true of them now. Each action button says whose it is ("Move
 * Ben Carter here"); the forms send the remedy's key and the need's window, and the
 * action checks it again before anything is written.
 */

export const PANEL_ANCHOR = 'what-can-fix-this';

export type PanelOptions = {
  /** On a cover request's page: assignments go to that request, and there is no "notify" (it is the request). */
  readonly requestId?: string;
};

export function remedyPanel(view: RemediesView, member: CenterMember, opts: PanelOptions = {}) {
  const { names, input } = view;
  const need = input.need;
  const base = `/centers/${member.center.id}/rooms/${need.room}/remedies`;
  const range = (start: number, end: number) => `${clockTime(start, names.zone, { on: names.day })}–${clockTime(end, names.zone, { on: names.day })}`;
  const hidden = (r: Remedy) => [
    { name: 'key', value: r.key },
    { name: 'start', value: String(need.start) },
    { name: 'end', value: String(need.end) },
    ...(opts.requestId ? [{ name: 'requestId', value: opts.requestId }] : []),
  ];
  const mayMove = can(member, 'remedy.move');
  const mayMerge = can(member, 'remedy.merge');
  const mayAssign = can(member, 'remedy.assign');
  const mayNotify = !opts.requestId && can(member, 'cover_request.create');
  const mayAsk = can(member, 'cover_request.create');

  const nobodyNew = view.nobodyNew.map((r) => {
    if (r.kind === 'move') {
      const who = names.person(r.person);
      return {
        kind: 'move',
        title: `Move ${who} over`,
        text: remedyText(r, names),
        label: labelText(r.label, names),
        action: mayMove ? { href: `${base}/moves`, label: `Move ${who} here`, fields: hidden(r) } : null,
        note: null,
      };
    }
    if (r.kind === 'merge') {
      return {
        kind: 'merge',
        title: `Combine ${names.room(r.from)} into ${names.room(r.into)}`,
        text: remedyText(r, names),
        label: null,
        action: mayMerge ? { href: `${base}/merges`, label: `Combine ${names.room(r.from)} into ${names.room(r.into)}`, fields: hidden(r) } : null,
        note: `Combining records a merge: until ${clockTime(r.end, names.zone, { on: names.day })}, the children and staff of ${names.room(r.from)} are judged as one group with those of ${names.room(r.into)}. Nobody's check-in is moved.`,
      };
    }
    return null;
  }).filter((x) => x !== null);

  const callIns = view.callIns.map((r: CallInRemedy) => {
    const who = r.people.map((p) => names.person(p.person)).join(' and ');
    return {
      coverage: r.coverage,
      people: r.people.map((p) => ({
        name: names.person(p.person),
        part: range(p.start, p.end),
        label: labelText(p.label, names),
        /** "Ask Jo Nguyen": the cover request for the window, told to them only (routes.ts). */
        ask: mayAsk ? { href: `${base}/asks`, label: `Ask ${names.person(p.person)}`, fields: hidden({ ...r, key: `call_in:${p.person}@${p.start}-${p.end}` }) } : null,
      })),
      rank: r.rank.map((x) => rankText(x, names)).join('; '),
      assign: mayAssign && r.coverage !== 'today' ? { href: `${base}/assignments`, label: `Assign ${who}`, fields: hidden(r) } : null,
    };
  });

  const notOffered = view.notOffered.map((n) => ({ name: names.person(n.person), label: labelText(n.label, names), why: refusalText(n.why, names) }));

  return {
    anchor: PANEL_ANCHOR,
    need: `${names.room(need.room)}, ${range(need.start, need.end)}`,
    nobodyNew,
    callIns,
    notOffered,
    nothing: nobodyNew.length === 0 && callIns.length === 0,
    notify: mayNotify ? { href: `${base}/cover-requests`, label: `Ask everyone eligible for ${names.room(need.room)}, ${range(need.start, need.end)}`, fields: [{ name: 'start', value: String(need.start) }, { name: 'end', value: String(need.end) }] } : null,
  };
}

export type RemedyPanelView = ReturnType<typeof remedyPanel>;
