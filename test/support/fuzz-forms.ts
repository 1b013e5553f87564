import type { RouteInfo } from './routes.js';

/**
 * Reads the forms out of a rendered page, the way a browser would submit them, and
 * matches their actions to the app's routes: the fuzz test learns each POST route's
 * fields from the page that renders its form.
 */

export type FieldKind = 'hidden' | 'text' | 'email' | 'password' | 'date' | 'time' | 'number' | 'checkbox' | 'radio' | 'select' | 'textarea' | 'file' | 'button' | 'other';

export type FormField = {
  readonly name: string;
  readonly kind: FieldKind;
  /** What the browser would send untouched (a checkbox only when checked). */
  readonly value: string | undefined;
  /** A select's or radio group's choices. */
  readonly options: readonly string[];
};

export type FoundForm = {
  readonly method: 'GET' | 'POST';
  /** Path and query, decoded. */
  readonly action: string;
  readonly multipart: boolean;
  readonly fields: readonly FormField[];
  /** The page it was found on. */
  readonly page: string;
};

export function decodeHtml(s: string): string {
  return s
    .replace(/&#x([0-9a-f]+);/gi, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&#(\d+);/g, (_, dec: string) => String.fromCodePoint(Number(dec)))
    .replaceAll('&quot;', '"')
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&');
}

const attr = (tag: string, name: string): string | undefined => {
  const m = new RegExp(`\\s${name}(?:="([^"]*)"|='([^']*)'|(?=[\\s>/]))`, 'i').exec(tag);
  if (!m) return undefined;
  return decodeHtml(m[1] ?? m[2] ?? '');
};

/** Every form on `html` (found at `page`), with its fields in document order. */
export function formsIn(html: string, page: string): FoundForm[] {
  const out: FoundForm[] = [];
  for (const m of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)) {
    const tag = `<form${m[1]!}>`;
    const body = m[2]!;
    const method = (attr(tag, 'method') ?? 'get').toUpperCase() === 'POST' ? 'POST' : 'GET';
    const url = new URL(attr(tag, 'action') || page, `http://app.test${page}`);
    if (url.origin !== 'http://app.test') continue;
    const fields: FormField[] = [];
    const radios = new Map<string, { options: string[]; checked?: string }>();
    for (const el of body.matchAll(/<(input|select|textarea|button)\b([^>]*)>([\s\S]*?<\/\1>)?/gi)) {
      const kindTag = el[1]!.toLowerCase();
      const t = `<${kindTag}${el[2]!}>`;
      const name = attr(t, 'name');
      if (!name || name === '_csrf' || attr(t, 'disabled') !== undefined) continue;
      if (kindTag === 'select') {
        const options = [...(el[3] ?? '').matchAll(/<option\b([^>]*)>([^<]*)/gi)].map((o) => ({ value: attr(`<option${o[1]!}>`, 'value') ?? decodeHtml(o[2]!.trim()), selected: attr(`<option${o[1]!}>`, 'selected') !== undefined }));
        const chosen = options.find((o) => o.selected) ?? options.find((o) => o.value !== '') ?? options[0];
        fields.push({ name, kind: 'select', value: chosen?.value, options: options.map((o) => o.value) });
      } else if (kindTag === 'textarea') {
        fields.push({ name, kind: 'textarea', value: decodeHtml((el[3] ?? '').replace(/<\/textarea>$/i, '')), options: [] });
      } else if (kindTag === 'button') {
        // A named submit button sends its value only when it is the one pressed: the first one stands in.
        if (!fields.some((f) => f.name === name)) fields.push({ name, kind: 'button', value: attr(t, 'value') ?? '', options: [] });
      } else {
        const type = (attr(t, 'type') ?? 'text').toLowerCase();
        const value = attr(t, 'value');
        if (type === 'submit' || type === 'reset' || type === 'image') continue;
        if (type === 'radio') {
          const group = radios.get(name) ?? { options: [] };
          group.options.push(value ?? 'on');
          if (attr(t, 'checked') !== undefined) group.checked = value ?? 'on';
          if (!radios.has(name)) {
            radios.set(name, group);
            fields.push({ name, kind: 'radio', value: undefined, options: group.options });
          }
        } else if (type === 'checkbox') {
          fields.push({ name, kind: 'checkbox', value: attr(t, 'checked') !== undefined ? (value ?? 'on') : undefined, options: [value ?? 'on'] });
        } else {
          const kind: FieldKind = (['hidden', 'text', 'email', 'password', 'date', 'time', 'number', 'file'] as const).find((k) => k === type) ?? (type === 'search' || type === 'tel' || type === 'url' ? 'text' : 'other');
          fields.push({ name, kind, value: value ?? '', options: [] });
        }
      }
    }
    const resolved = fields.map((f) => {
      if (f.kind !== 'radio') return f;
      const group = radios.get(f.name)!;
      return { ...f, value: group.checked ?? group.options[0], options: group.options };
    });
    out.push({ method, action: decodeURIComponent(url.pathname) + url.search, multipart: /multipart\/form-data/i.test(attr(tag, 'enctype') ?? ''), fields: resolved, page });
  }
  return out;
}

/** Same-origin link targets on a page (path and query). */
export function linksIn(html: string, page: string): string[] {
  const out: string[] = [];
  for (const m of html.matchAll(/<a\s[^>]*href="([^"]+)"/g)) {
    const u = new URL(decodeHtml(m[1]!), `http://app.test${page}`);
    if (u.origin === 'http://app.test') out.push(`${u.pathname}${u.search}`);
  }
  return out;
}

/** A route's path as a regular expression (express's `:param` segments). */
export function routePattern(path: string): RegExp {
  const source = path
    .split(/(:[A-Za-z_][A-Za-z0-9_]*)/)
    .map((part) => (part.startsWith(':') ? '([^/]+)' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`);
}

/** The route (in router order) that answers `method path`, as express would pick it. */
export function routeFor(routes: readonly RouteInfo[], method: string, path: string): RouteInfo | undefined {
  const bare = path.split('?')[0]!;
  return routes.find((r) => r.method === method && routePattern(r.path).test(bare));
}

/** The names of a route path's parameters, in order. */
export const paramsOf = (path: string): string[] => [...path.matchAll(/:([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]!);
