// Live board: swaps a room card when the server sends `event: room-card` (id = room id,
// data = the card's HTML, the same partial the page rendered), and adds a "need help
// now" banner on `event: help-request` (id = the request's id, data = its HTML).
// When a room newly flags (out of compliance now, or a forecast flag appears) or help
// is asked for, it plays a short beep and shows a browser notification, once the
// person turned alerts on with the button (browsers allow sound and the permission
// prompt only after a click). Without this script the board is still complete and
// current on every load.
(function () {
  'use strict';
  var board = document.querySelector('[data-events]');
  if (!board || !('EventSource' in window)) return;
  var url = board.getAttribute('data-events');
  var live = board.querySelector('[data-live]');
  var helpList = board.querySelector('[data-help-requests]');
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

  // ------------------------------------------------------------ alerts

  var AudioCtx = window.AudioContext || window.webkitAudioContext;
  var audio = null;
  var alertsOn = false;

  /** Two short tones (no sound file needed); silent until alerts were turned on by a click. */
  function beep() {
    if (!alertsOn || !audio) return;
    try {
      var start = audio.currentTime + 0.01;
      [880, 660].forEach(function (freq, i) {
        var osc = audio.createOscillator();
        var gain = audio.createGain();
        osc.type = 'sine';
        osc.frequency.value = freq;
        var t = start + i * 0.18;
        gain.gain.setValueAtTime(0.0001, t);
        gain.gain.exponentialRampToValueAtTime(0.25, t + 0.02);
        gain.gain.exponentialRampToValueAtTime(0.0001, t + 0.16);
        osc.connect(gain);
        gain.connect(audio.destination);
        osc.start(t);
        osc.stop(t + 0.17);
      });
    } catch (e) {
      // No sound is no reason to stop the board.
    }
  }

  function notify(title, body, tag) {
    if (!alertsOn || !('Notification' in window) || Notification.permission !== 'granted') return;
    try {
      new Notification(title, { body: body, tag: tag });
    } catch (e) {
      // Some browsers only notify from a service worker; the banner and the sound remain.
    }
  }

  function alertAbout(title, body, tag) {
    board.setAttribute('data-last-alert', title + ': ' + body);
    beep();
    notify(title, body, tag);
  }

  function alertsButton() {
    if (!AudioCtx && !('Notification' in window)) return;
    var holder = board.querySelector('.board-live') || board;
    var button = document.createElement('button');
    button.type = 'button';
    button.className = 'board-alerts';
    button.setAttribute('data-alerts', 'off');
    button.textContent = 'Turn on sound and notifications';
    button.addEventListener('click', function () {
      alertsOn = true;
      if (AudioCtx && !audio) audio = new AudioCtx();
      if (audio && audio.state === 'suspended') audio.resume();
      var done = function () {
        var notifying = 'Notification' in window && Notification.permission === 'granted';
        button.textContent = notifying ? 'Alerts on: sound and notifications' : 'Alerts on: sound (notifications not allowed)';
        button.setAttribute('data-alerts', 'on');
        button.disabled = true;
        beep();
      };
      if ('Notification' in window && Notification.permission === 'default') {
        var asked = Notification.requestPermission(done);
        if (asked && typeof asked.then === 'function') asked.then(done, done);
      } else done();
    });
    holder.appendChild(document.createTextNode(' '));
    holder.appendChild(button);
  }

  // ------------------------------------------------------------ cards and banners

  /** A card needs attention: not compliant now, or the forecast flags it. */
  function flagged(card) {
    return card.getAttribute('data-tone') === 'breach' || card.querySelector('.room-forecast-flag') !== null;
  }

  function words(node, selector) {
    var el = node.querySelector(selector);
    return el ? el.textContent.replace(/\s+/g, ' ').trim() : '';
  }

  function swap(html) {
    var template = document.createElement('template');
    template.innerHTML = html.trim();
    var card = template.content.firstElementChild;
    if (!card || !card.id) return;
    var old = document.getElementById(card.id);
    var newlyFlagged = flagged(card) && (!old || !flagged(old));
    if (old) old.replaceWith(card);
    else {
      var list = board.querySelector('.board-cards');
      if (list) list.appendChild(card);
    }
    recount();
    if (newlyFlagged) {
      var what = words(card, '.room-forecast-flag strong') || words(card, '.room-status strong');
      alertAbout(words(card, '.room-card-name') + ' needs attention', what, card.id);
    }
  }

  function addHelp(html) {
    if (!helpList) return;
    var template = document.createElement('template');
    template.innerHTML = html.trim();
    var item = template.content.firstElementChild;
    if (!item || !item.id || document.getElementById(item.id)) return;
    helpList.insertBefore(item, helpList.firstChild);
    alertAbout('Help needed now', item.textContent.replace(/\s+/g, ' ').trim(), item.id);
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
    source.addEventListener('help-request', function (event) {
      addHelp(event.data);
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

  alertsButton();
  connect();
})();
