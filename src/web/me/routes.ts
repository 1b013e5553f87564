import { Router } from 'express';
import { listCentersForUser } from '../../db/centers.js';
import { listActiveMembershipsOfUser } from '../../db/memberships.js';
import { findPersonInCenter } from '../../db/people.js';
import { listTrainingRecordsOfPerson } from '../../db/trainings.js';
import { getPack } from '../../domain/rules/index.js';
import type { Deps } from '../deps.js';
import { userOf } from '../auth/current.js';
import { guard } from '../auth/guard.js';
import { ROLE_LABELS, STUDY_LABELS, TRAINING_STATUS_LABELS } from '../labels.js';

export function meRoutes(deps: Deps): Router {
  const { db } = deps;
  const router = Router();

  // Only the signed-in user's own records: every lookup starts from their memberships.
  router.get('/me', guard(deps, 'profile.view'), async (req, res) => {
    const user = userOf(req);
    const [memberships, centers] = await Promise.all([listActiveMembershipsOfUser(db, user.id), listCentersForUser(db, user.id)]);
    const centerById = new Map(centers.map((c) => [c.id, c]));
    const roles = [];
    for (const m of memberships) {
      const center = m.centerId ? centerById.get(m.centerId) : undefined;
      const person = center && m.personId ? await findPersonInCenter(db, center.id, m.personId) : undefined;
      const pack = center ? getPack(center.packId) : undefined;
      const trainings = person && center ? await listTrainingRecordsOfPerson(db, center.id, person.id) : [];
      roles.push({
        role: ROLE_LABELS[m.role],
        center: center ? { id: center.id, name: center.name } : undefined,
        person: person && {
          displayName: person.displayName,
          backgroundStudy: STUDY_LABELS[person.backgroundStudy] ?? person.backgroundStudy,
          backgroundClearedOn: person.backgroundClearedOn,
          backgroundExpiresOn: person.backgroundExpiresOn,
        },
        trainings: trainings.map((t) => ({
          label: pack?.trainings.find((p) => p.id === t.trainingId)?.label ?? t.trainingId,
          completedOn: t.completedOn,
          status: TRAINING_STATUS_LABELS[t.status],
        })),
      });
    }
    res.render('me/show', { title: 'My profile', user: { displayName: user.displayName, email: user.email }, roles });
  });
  return router;
}
