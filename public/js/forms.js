// A form sent back with errors: focus the first field in error (its message is beside it and read
// with it), so nobody lands at the top of a long page with the error far below. Without script the
// field partial's autofocus does the same for the first field it renders in error.
//
// And that page is the answer to a POST: once the person fixes the form and saves, Back would bring
// the old error back. Replacing the entry with its own address turns it into an ordinary visit of
// the page, so Back shows the page as it is now.
(() => {
  const first = document.querySelector('[aria-invalid="true"]');
  if (!first) return;
  if (window.history && history.replaceState) history.replaceState(history.state, '', location.href);
  if (document.activeElement === first) return;
  first.focus({ preventScroll: true });
  first.scrollIntoView({ block: 'center' });
})();
