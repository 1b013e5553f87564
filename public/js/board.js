// Live board: swaps a room card when the server sends `event: room-card` (id = room id,
// data = the card's HTML, the same partial the page rendered). Without this script the
// board is still complete and current on every load.
(function () {
  'use strict';
  var board = document.querySelector('[data-events]');
  if (!board || !('EventSource' in window)) return;
  var url = board.getAttribute('data-events');
  var live = board.querySelector('[data-live]');
  var retryMs = 3000;

  function say(text) {
    if (live) live.textContent = text;
  }

  function recount() {
    ['breach', 'limit', 'ok'].forEach(function (tone) {
      var out = board.querySelector('[data-count="' + tone + '"]');
      if (out) out.textContent = String(board.querySelectorAll('.room-card[data-tone="' + tone + '"]').length);
    });
  }

  function swap(html) {
    var template = document.createElement('template');
    template.innerHTML = html.trim();
    var card = template.content.firstElementChild;
    if (!card || !card.id) return;
    var old = document.getElementById(card.id);
    if (old) old.replaceWith(card);
    else {
      var list = board.querySelector('.board-cards');
      if (list) list.appendChild(card);
    }
    recount();
  }

  function connect() {
    // `resume` asks for every card once on connect: a change made between the page load
    // (or a dropped connection) and this stream is not missed.
    var source = new EventSource(url + '?resume=1');
    source.addEventListener('open', function () {
      say('Live: rooms update as changes are made.');
      board.setAttribute('data-live-state', 'open');
    });
    source.addEventListener('room-card', function (event) {
      swap(event.data);
    });
    source.addEventListener('error', function () {
      board.setAttribute('data-live-state', 'reconnecting');
      say('Connection lost: reconnecting… Reload the page to be sure.');
      // The browser retries by itself unless the server refused the stream; then start again.
      if (source.readyState === EventSource.CLOSED) {
        source.close();
        setTimeout(connect, retryMs);
      }
    });
  }

  connect();
})();
