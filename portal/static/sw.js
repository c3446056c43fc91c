/* Leer-Kracht service worker: the kennisbank and a teacher's own questions readable offline.

   Only pages the portal marks with "X-Offline: bewaar" are kept (dossiers, Mijn vragen,
   her own questions): never other people's questions, so a shared device holds nothing
   that is not hers. Logging out clears everything (Clear-Site-Data). Pages are always
   fetched from the network first; the copy is only for when there is no network. */
var CACHE = "leer-kracht-v1";
var OFFLINE = "/offline";

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) { return cache.add(OFFLINE); }));
  self.skipWaiting();
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k !== CACHE; }).map(function (k) { return caches.delete(k); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET" || new URL(request.url).origin !== self.location.origin) return;
  var isPage = request.mode === "navigate";
  var isStatic = new URL(request.url).pathname.indexOf("/static/") === 0;
  if (!isPage && !isStatic) return;
  event.respondWith(fetch(request).then(function (response) {
    if (response.ok && (isStatic || response.headers.get("X-Offline") === "bewaar")) {
      var copy = response.clone();
      caches.open(CACHE).then(function (cache) {
        return isStatic ? dropOlderVersions(cache, request.url).then(function () { return cache.put(request, copy); })
          : cache.put(request, copy);
      });
    }
    return response;
  }).catch(function () {
    return caches.match(request).then(function (found) {
      return found || (isPage ? caches.match(OFFLINE) : Response.error());
    });
  }));
});

/* A static file is kept in its newest version only (its URL ends in ?v=fingerprint). */
function dropOlderVersions(cache, url) {
  var path = new URL(url).pathname;
  return cache.keys().then(function (requests) {
    return Promise.all(requests.filter(function (old) {
      return old.url !== url && new URL(old.url).pathname === path;
    }).map(function (old) { return cache.delete(old); }));
  });
}
