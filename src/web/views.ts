import { ExpressHandlebars } from 'express-handlebars';

type PartialsOptions = Parameters<ExpressHandlebars['getPartials']>[0];
type Partials = Awaited<ReturnType<ExpressHandlebars['getPartials']>>;
type Engine = ExpressHandlebars['engine'];

/**
 * express-handlebars, with the partials looked up once while views are cached.
 *
 * On every render express-handlebars asks for every partial again: a walk of the
 * partials directory's cached listing, a resolved path and a cached template per
 * file, each through its own promise. That cost more than rendering a board page's
 * templates themselves. With `view cache` on (production), the files do not change
 * while the process runs, so the first answer is kept; without it (development,
 * tests), every render still reads them, as before, so an edited partial shows at
 * once. express-handlebars copies the answer before adding a render's own partials.
 */
class Views extends ExpressHandlebars {
  #partials: Promise<Partials> | undefined;

  override getPartials(options: PartialsOptions = {}): Promise<Partials> {
    if (!options.cache) return super.getPartials(options);
    if (!this.#partials) {
      const loading = super.getPartials(options);
      this.#partials = loading;
      loading.catch(() => {
        if (this.#partials === loading) this.#partials = undefined;
      });
    }
    return this.#partials;
  }
}

/** The app's view engine: `.hbs` files under views/, the `main` layout, partials from views/partials/. */
export function viewEngine(dirs: { readonly layoutsDir: string; readonly partialsDir: string }): Engine {
  return new Views({ extname: '.hbs', defaultLayout: 'main', ...dirs }).engine;
}
