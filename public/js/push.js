// "Turn on alerts on this phone" on the alert settings page: registers the service
// worker (/sw.js), asks the browser's permission, subscribes to Web Push with the
// app's VAPID public key (the section's data-vapid-key) and posts the subscription
// (data-subscribe-url, with the page's CSRF token), then reloads so the device shows
// in the list. Without JavaScript, or in a browser without Web Push, the section's
// status line says so and the button stays hidden; the rest of the page works as it is.
(function () {
  'use strict';
  var section = document.querySelector('[data-push]');
  if (!section) return;
  var status = section.querySelector('[data-push-status]');
  var button = section.querySelector('[data-push-on]');
  var tokenInput = document.querySelector('input[name="_csrf"]');

  function say(text) {
    if (status) status.textContent = text;
  }

  if (!('serviceWorker' in navigator) || !('PushManager' in window) || !('Notification' in window)) {
    say('This browser cannot receive alerts as notifications. (On an iPhone, add Ratiowatch to the home screen first and open it from there.)');
    return;
  }

  // The key as the bytes PushManager wants.
  function keyBytes(base64url) {
    var b64 = base64url.replace(/-/g, '+').replace(/_/g, '/');
    while (b64.length % 4) b64 += '=';
    var raw = atob(b64);
    var out = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
    return out;
  }

  function post(subscription) {
    return fetch(section.getAttribute('data-subscribe-url'), {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'X-CSRF-Token': tokenInput ? tokenInput.value : '' },
      body: JSON.stringify(subscription),
    }).then(function (res) {
      if (!res.ok) {
        return res.json().then(
          function (body) {
            throw new Error(body && body.error ? body.error : 'The server did not take it (' + res.status + ').');
          },
          function () {
            throw new Error('The server did not take it (' + res.status + ').');
          },
        );
      }
    });
  }

  function turnOn() {
    button.disabled = true;
    say('Asking this browser…');
    Notification.requestPermission()
      .then(function (permission) {
        if (permission !== 'granted') throw new Error('Notifications are blocked for this site. Allow them in the browser’s site settings, then try again.');
        return navigator.serviceWorker.register('/sw.js', { scope: '/' });
      })
      .then(function () {
        return navigator.serviceWorker.ready;
      })
      .then(function (registration) {
        return registration.pushManager.getSubscription().then(function (existing) {
          return existing || registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(section.getAttribute('data-vapid-key')) });
        });
      })
      .then(function (subscription) {
        return post(subscription.toJSON());
      })
      .then(function () {
        say('Alerts are on on this device.');
        window.location.assign(window.location.pathname + '?device=added#phones');
      })
      .catch(function (err) {
        say('Alerts could not be turned on: ' + (err && err.message ? err.message : String(err)));
        button.disabled = false;
      });
  }

  if (Notification.permission === 'denied') {
    say('Notifications are blocked for this site in this browser. Allow them in the browser’s site settings to get alerts here.');
    return;
  }
  say('');
  button.hidden = false;
  button.addEventListener('click', turnOn);
})();
