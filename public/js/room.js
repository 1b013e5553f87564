// The room page in one hand: with script, a tap on a row's button (check in, check out, arrive,
// leave, move) is sent in the background and only that row, the room's status line and its card
// are swapped from the page the server answers with; the page does not move and focus stays on
// the row. Without script the forms post and the server sends the browser back to the row's anchor.
(() => {
  const page = document.querySelector('.room-page');
  if (!page || !window.fetch || !window.DOMParser) return;
  const ACTIONS = /\/(check-ins|check-outs|arrivals|departures|child-moves|person-moves)$/;

  const swap = (id, fresh) => {
    const old = document.getElementById(id);
    const next = fresh.getElementById(id);
    if (old && next) old.replaceWith(next);
    else if (old && !next) old.remove();
    return next;
  };

  // The server's message, announced where the flash is (role="status"), replacing the last one.
  const announce = (fresh) => {
    for (const el of page.querySelectorAll(':scope > .flash, :scope > .problem')) el.remove();
    const anchor = page.querySelector('.room-links');
    const message = fresh.querySelector('.room-page > .flash');
    if (message && anchor) anchor.after(message);
    return fresh.querySelector('.room-page > .problem');
  };

  page.addEventListener('submit', async (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || form.method.toLowerCase() !== 'post') return;
    const action = new URL(form.action, location.href);
    if (!ACTIONS.test(action.pathname)) return;
    const holder = form.closest('li.tap-row[id]') || form.closest('section.me');
    if (!holder) return;
    event.preventDefault();
    const button = event.submitter || form.querySelector('button[type="submit"]');
    for (const b of holder.querySelectorAll('button')) b.disabled = true;
    let res;
    try {
      res = await fetch(action, {
        method: 'POST',
        body: new URLSearchParams(new FormData(form, button)),
        headers: { Accept: 'text/html' },
        credentials: 'same-origin',
      });
    } catch {
      // Offline or refused: post the ordinary way, so the person sees what happened.
      form.submit();
      return;
    }
    // Sent to another room (a move "to"), or signed out: follow as the browser would have.
    if (res.redirected && new URL(res.url).pathname !== location.pathname) {
      location.assign(res.url);
      return;
    }
    const fresh = new DOMParser().parseFromString(await res.text(), 'text/html');
    // Not this room's page (a refused token, a server error): post the ordinary way, to show it.
    if (!fresh.querySelector('.room-page')) {
      form.submit();
      return;
    }
    const problem = announce(fresh);
    swap('room-status-line', fresh);
    swap('room-card', fresh);
    let row;
    if (holder.matches('section.me')) {
      const next = fresh.querySelector('section.me');
      if (next) holder.replaceWith(next);
      else holder.remove();
      row = next;
    } else {
      row = swap(holder.id, fresh);
    }
    if (problem && row) row.append(problem);
    else if (problem) page.querySelector('.room-links')?.after(problem);
    const target = row?.querySelector('button:not([disabled]), select, input:not([type="hidden"])') || row;
    if (target) {
      if (target === row) row.setAttribute('tabindex', '-1');
      target.focus({ preventScroll: true });
    }
  });
})();
