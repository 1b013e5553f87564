// Ratiowatch's service worker: shows the alerts the job runner pushes (Web Push) and
// opens the page one is about when it is tapped. A push's data is JSON
// { title, body, url }: the center's name, the alert's short text, the page's address.
// It caches nothing: every page is fetched from the server as usual.
'use strict';

self.addEventListener('push', function (event) {
  var data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch (e) {
    data = { body: event.data ? event.data.text() : '' };
  }
  var title = data.title || 'Ratiowatch';
  event.waitUntil(
    self.registration.showNotification(title, {
      body: data.body || 'Something needs you in Ratiowatch.',
      icon: '/icons/icon-192.png',
      badge: '/icons/icon-192.png',
      data: { url: data.url || '/notices' },
      // One notification per page: a newer alert about the same page replaces the older.
      tag: data.url || undefined,
    }),
  );
});

self.addEventListener('notificationclick', function (event) {
  event.notification.close();
  var url = new URL((event.notification.data && event.notification.data.url) || '/notices', self.location.origin);
  // Our own pages only: a link made with another PUBLIC_URL opens the same path here.
  var target = new URL(url.pathname + url.search, self.location.origin).href;
  event.waitUntil(
    self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then(function (windows) {
      for (var i = 0; i < windows.length; i++) {
        if (windows[i].url === target && 'focus' in windows[i]) return windows[i].focus();
      }
      return self.clients.openWindow(target);
    }),
  );
});
