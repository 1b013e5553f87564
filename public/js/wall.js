// The wall display's clock: the center's time, kept current while the page stays open (board.js keeps the cards live).
(() => {
  const clock = document.querySelector('[data-wall-clock]');
  if (!clock) return;
  const format = new Intl.DateTimeFormat('en-GB', { timeZone: clock.dataset.zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  const tick = () => {
    clock.textContent = format.format(new Date());
  };
  tick();
  setInterval(tick, 10_000);
})();
