import type { Express } from 'express';

export type RouteInfo = { readonly method: string; readonly path: string; readonly action: string | undefined };

type Layer = {
  route?: { path: string; methods: Record<string, boolean>; stack: { handle: { action?: string } }[] };
  handle?: { stack?: Layer[] };
  slash?: boolean;
  name?: string;
};

/**
 * Every route in the app, from express's router stack, with the action its first
 * handler (the guard) was made for. Routers must be mounted at `/` so a route's path
 * is the URL path; a router mounted elsewhere is reported so the test can fail.
 */
export function listRoutes(app: Express): RouteInfo[] {
  const out: RouteInfo[] = [];
  const walk = (stack: Layer[]) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const method of Object.keys(layer.route.methods).filter((m) => m !== '_all')) {
          out.push({ method: method.toUpperCase(), path: layer.route.path, action: layer.route.stack[0]?.handle.action });
        }
      } else if (layer.handle?.stack) {
        if (!layer.slash) throw new Error(`a router is mounted below / (${layer.name}); mount routers at / with full paths`);
        walk(layer.handle.stack);
      }
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack);
  return out;
}
