// A form sent back with errors: focus the first field in error (its message is beside it and read
// with it), so nobody lands at the top of a long page with the error far below. Without script the
// field partial's autofocus does the same for the first field it renders in error.
(() => {
  const first = document.querySelector('[aria-invalid="true"]');
  if (!first || document.activeElement === first) return;
  first.focus({ preventScroll: true });
  first.scrollIntoView({ block: 'center' });
})();
