// Hash routing: "#/chat/cnv_123" → the route whose pattern matches, with its parameters.

let routes = [];
let resolveHook = () => null;
let active = null; // { route, view, instance }
let generation = 0;

/**
 * routes: [{ path: '/chat/:id', load: () => import(…), public?: true }]. `guard(route)` may
 * return another path to go to instead (e.g. the log-in page).
 */
export function startRouter(table, guard) {
  routes = table.map((route) => ({ ...route, ...compile(route.path) }));
  resolveHook = guard;
  window.addEventListener('hashchange', render);
  render();
}

export function navigate(path, { replace = false } = {}) {
  const hash = `#${path}`;
  if (location.hash === hash) return render();
  if (replace) {
    history.replaceState(null, '', hash);
    render();
  } else location.hash = hash;
}

/** The route part of the address (#/login?error=… is /login; the view reads its own query). */
export function currentPath() {
  return location.hash.replace(/^#/, '').split('?')[0] || '/';
}

/** Renders the current hash again (e.g. after signing in). */
export async function render() {
  const path = currentPath();
  const match = find(path);
  const redirect = resolveHook(match?.route ?? null, path);
  if (redirect && redirect !== path) return navigate(redirect, { replace: true });
  if (!match) return navigate('/deck', { replace: true });
  const { route, params } = match;
  const mine = ++generation;
  const view = await route.load();
  if (mine !== generation) return; // a later navigation won the race
  document.dispatchEvent(new CustomEvent('route', { detail: { route, params } }));
  // The same view (e.g. the inbox for #/matches and #/chat/…) updates in place instead of starting over.
  if (active?.view === view && active.instance?.update) {
    active.route = route;
    active.instance.update(params, route);
    return;
  }
  active?.instance?.destroy?.();
  const main = document.getElementById('main');
  main.replaceChildren();
  active = { route, view, instance: view.show(main, params, route) ?? null };
}

function compile(path) {
  const names = [];
  const source = path.replace(/:([a-zA-Z]+)/g, (_, name) => {
    names.push(name);
    return '([^/]+)';
  });
  return { regex: new RegExp(`^${source}$`), names };
}

function find(path) {
  for (const route of routes) {
    const found = route.regex.exec(path);
    if (found) {
      const params = Object.fromEntries(route.names.map((name, i) => [name, decodeURIComponent(found[i + 1])]));
      return { route, params };
    }
  }
  return null;
}
