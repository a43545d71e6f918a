// The service worker (SETTINGS, above, comes from the server). Pages come from the network
// whenever it answers, so that the server sees and records every online visit. Without a
// network a page comes from the course the learner downloaded, or is the offline notice.
// The shell (stylesheet, scripts, icons, notices) is kept per version and served from here.
"use strict";

var SHELL_CACHE = "elearn-shell-" + SETTINGS.version;
var SHELL_PREFIX = "elearn-shell-";
var QUIZ_PATH = /^\/courses\/[^/]+\/quiz(\/|$)/;
var COURSE_FILE_PATH = /^\/courses\/[^/]+\/files\//;

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(SHELL_CACHE).then(function (cache) {
    return cache.addAll(SETTINGS.shell.map(function (url) { return new Request(url, { cache: "reload" }); }));
  }).then(function () { return self.skipWaiting(); }));
});

// Old shells go; downloaded courses (elearn-course-*) stay until the learner removes them.
self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf(SHELL_PREFIX) === 0 && name !== SHELL_CACHE;
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

function kept(request) {
  return caches.match(request, { ignoreVary: true });
}

function notice(url) {
  return caches.match(QUIZ_PATH.test(url.pathname) ? SETTINGS.quizPage : SETTINGS.offlinePage);
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (request.mode === "navigate") {
    // A form sent without a connection gets the notice that says it was not sent, not an error.
    event.respondWith(fetch(request).catch(function () {
      return (request.method === "GET" ? kept(request) : Promise.resolve(undefined)).then(function (copy) {
        return copy || notice(url);
      });
    }));
    return;
  }
  if (request.method !== "GET") { return; }
  if (url.pathname.indexOf(SETTINGS.static) === 0 || SETTINGS.shell.indexOf(url.pathname) !== -1) {
    event.respondWith(kept(request).then(function (copy) { return copy || fetch(request); }));
  } else if (COURSE_FILE_PATH.test(url.pathname)) {
    event.respondWith(fetch(request).catch(function () {
      return kept(request).then(function (copy) { return copy || Response.error(); });
    }));
  }
});
