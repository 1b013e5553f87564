import { Router } from 'express';
import { PACKS } from '../../domain/rules/index.js';
import { packView } from './pack-view.js';

export function homeRoutes(): Router {
  const router = Router();
  // Packs are static data: build their views once.
  const packs = PACKS.map(packView);
  router.get('/', (_req, res) => {
    res.render('home/index', { packs });
  });
  return router;
}
