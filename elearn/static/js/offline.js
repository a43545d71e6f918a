// Learning without a connection. The service worker keeps the app's shell and the courses a
// learner downloads; this script downloads and removes them, queues in IndexedDB what the
// learner does on a downloaded page while offline (a lesson opened, a lesson done, a knowledge
// check answered), and sends the queue when the connection returns. The server judges each
// action and counts it once, by its key. Browsers without service workers get the plain site.
(function () {
  "use strict";

  if (!("serviceWorker" in navigator) || !window.indexedDB || !window.caches) { return; }
  var script = document.currentScript;
  var body = document.body;
  var user = body.dataset.user ? Number(body.dataset.user) : null;
  var isCopy = "offlineCopy" in body.dataset;
  var note = document.querySelector("[data-sync-note]");
  var texts = note ? JSON.parse(note.dataset.texts) : {};
  var COURSE_CACHE = "elearn-course-";

  navigator.serviceWorker.register(script.dataset.worker).catch(function () { /* the site works without it */ });

  // IndexedDB: "queue" holds actions in the order they were made, "downloads" one record per course.
  var database = null;
  function store(name, mode) {
    if (!database) {
      database = new Promise(function (resolve, reject) {
        var opening = indexedDB.open("elearn", 1);
        opening.onupgradeneeded = function () {
          opening.result.createObjectStore("queue", { keyPath: "seq", autoIncrement: true });
          opening.result.createObjectStore("downloads", { keyPath: "course" });
        };
        opening.onsuccess = function () { resolve(opening.result); };
        opening.onerror = function () { reject(opening.error); };
      });
    }
    return database.then(function (db) { return db.transaction(name, mode).objectStore(name); });
  }
  function request(made) {
    return new Promise(function (resolve, reject) {
      made.onsuccess = function () { resolve(made.result); };
      made.onerror = function () { reject(made.error); };
    });
  }
  function all(name) { return store(name, "readonly").then(function (s) { return request(s.getAll()); }); }
  function put(name, value) { return store(name, "readwrite").then(function (s) { return request(s.put(value)); }); }
  function remove(name, key) { return store(name, "readwrite").then(function (s) { return request(s.delete(key)); }); }

  function fill(text, values) {
    return text.replace(/\{(\w+)\}/g, function (whole, name) { return name in values ? values[name] : whole; });
  }
  function sizeLabel(bytes) {
    var format = new Intl.NumberFormat(document.documentElement.lang, { maximumFractionDigits: 1 });
    return bytes < 1e6 ? format.format(Math.max(1, Math.round(bytes / 1e3))) + " kB" : format.format(bytes / 1e6) + " MB";
  }
  function newKey() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    return Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 12);
  }

  // What the learner sees: online or offline, how much waits, and what the last sync said.
  var stateBox = document.querySelector("[data-net-state]");
  function showState() {
    if (!stateBox) { return Promise.resolve(); }
    return all("queue").then(function (items) {
      var waiting = items.filter(function (item) { return user === null || item.user === user; }).length;
      var label = navigator.onLine ? texts.online : texts.offline;
      if (waiting) { label = fill(waiting === 1 ? texts.waitingOne : texts.waitingMany, { n: waiting }); }
      stateBox.textContent = label;
      stateBox.className = "net-state " + (navigator.onLine ? "online" : "offline") + (waiting ? " waiting" : "");
      stateBox.hidden = false;
    });
  }
  function say(lines, link) {
    if (!note) { return; }
    note.textContent = "";
    lines.forEach(function (line) {
      var p = document.createElement("p");
      p.textContent = line;
      note.appendChild(p);
    });
    if (link) {
      var a = document.createElement("a");
      a.className = "button primary";
      a.href = link.href;
      a.textContent = link.text;
      note.appendChild(a);
    }
    note.hidden = false;
  }
  document.querySelectorAll("[data-online-only]").forEach(function (control) {
    var hint = document.createElement("span");
    hint.className = "online-only-hint small";
    hint.textContent = " (" + texts.onlineOnly + ")";
    control.insertAdjacentElement("afterend", hint);
    function mark() { hint.hidden = navigator.onLine; }
    mark();
    window.addEventListener("online", mark);
    window.addEventListener("offline", mark);
  });

  // The queue.
  function lessonOf(element) {
    var lesson = element.closest("[data-offline-lesson]");
    return { course: lesson.dataset.course, lesson: lesson.dataset.lesson, version: Number(lesson.dataset.version) };
  }
  function enqueue(kind, where, extra) {
    var action = Object.assign({ key: newKey(), user: user, kind: kind, at: new Date().toISOString() }, where, extra || {});
    return put("queue", action).then(showState);
  }

  // On a downloaded copy the server did not see this visit: the queue tells it later.
  var lessonBox = document.querySelector("[data-offline-lesson]");
  if (isCopy && lessonBox && user !== null) { enqueue("view", lessonOf(lessonBox)); }

  function markDone(lessonSlug) {
    document.querySelectorAll(".syllabus a[data-lesson='" + lessonSlug + "']").forEach(function (link) {
      link.parentElement.classList.add("done");
    });
  }
  function queuedHere() {
    if (!lessonBox) { return; }
    all("queue").then(function (items) {
      items.forEach(function (item) {
        if (item.kind === "complete" && item.user === user && item.course === lessonBox.dataset.course) { markDone(item.lesson); }
      });
    });
  }
  queuedHere();

  function keep(form) {
    var where = lessonOf(form);
    if (form.dataset.offline === "complete") {
      return enqueue("complete", where).then(function () { window.location.assign(form.dataset.next); });
    }
    var answer = new FormData(form).getAll("answer").map(String);
    return enqueue("check", where, { check: form.dataset.check, answer: answer }).then(function () {
      var box = form.parentElement.querySelector(".check-feedback");
      box.textContent = "";
      var kept = document.createElement("p");
      kept.className = "verdict";
      kept.textContent = texts.checkKept;
      box.appendChild(kept);
    });
  }
  // Registered before app.js's own handlers: without a connection, or on a downloaded copy
  // (whose form token may be old), the action is queued instead of sent.
  document.querySelectorAll("form[data-offline]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (user === null || (navigator.onLine && !isCopy)) { return; }
      event.preventDefault();
      event.stopImmediatePropagation();
      keep(form).then(function () { if (navigator.onLine) { sync(); } });
    });
    // app.js tells when a send failed on the way (a connection that says it is up but is not).
    form.addEventListener("elearn:unsent", function (event) {
      if (user === null) { return; }
      event.preventDefault();
      keep(form);
    });
  });

  // Sending the queue: who is signed in first (a fresh form token), then their actions in order.
  var syncing = null;
  function sync() {
    if (user === null) { return Promise.resolve(); }
    if (syncing) { return syncing; }
    syncing = all("queue").then(function (items) {
      if (!items.length) { return null; }
      return fetch(script.dataset.session, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (who) {
          if (who && who.user === null) {
            var next = window.location.pathname + window.location.search;
            say([texts.login], { href: script.dataset.login + "?next=" + encodeURIComponent(next), text: texts.loginLink });
            return null;
          }
          return who ? send(items, who, { sent: 0, lines: [] }) : null;
        });
    }).catch(function () { /* still offline: everything stays queued */ }).then(function () {
      syncing = null;
      return showState();
    });
    return syncing;
  }
  // `report` gathers what each batch said, so that a long queue's last batch does not hide the first's.
  function send(items, who, report) {
    var mine = items.filter(function (item) { return item.user === who.user; }).slice(0, 100);
    if (!mine.length) { return null; }
    var actions = mine.map(function (item) {
      var sent = Object.assign({}, item);
      delete sent.seq;
      delete sent.user;
      return sent;
    });
    return fetch(script.dataset.sync, {
      method: "POST", credentials: "same-origin", body: JSON.stringify({ actions: actions }),
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": who.csrf_token }
    }).then(function (response) {
      if (!response.ok) {
        say(report.lines.concat([texts.notSent]));
        return null;
      }
      return response.json().then(function (reply) { return settle(mine, reply.results, who, report); });
    });
  }
  function settle(sent, results, who, report) {
    var lines = report.lines;
    var seqByKey = {};
    sent.forEach(function (item) { seqByKey[item.key] = item; });
    var staleCourses = {};
    var done = 0;
    return Promise.all(results.map(function (result) {
      var item = seqByKey[result.key];
      if (!item) { return null; }
      if (result.status === "failed") {
        lines.push(result.message);
        return null;
      }
      done += 1;
      report.sent += 1;
      if (result.stale) { staleCourses[item.course] = true; }
      if (result.status === "rejected") { lines.push(texts.notApplied + " " + result.message); }
      else if (result.message) { lines.push(result.message); }
      return remove("queue", item.seq);
    })).then(function () {
      if (Object.keys(staleCourses).length) { lines.push(texts.stale); }
      var count = fill(report.sent === 1 ? texts.sentOne : texts.sentMany, { n: report.sent });
      say([count].concat(lines.filter(function (line, index) { return lines.indexOf(line) === index; })));
      return Promise.all(Object.keys(staleCourses).map(markStale));
    }).then(function () {
      if (!done) { return null; }
      // More than one request's worth: send the rest.
      return all("queue").then(function (left) {
        return left.some(function (item) { return item.user === who.user; }) ? send(left, who, report) : null;
      });
    });
  }
  window.addEventListener("online", sync);
  window.addEventListener("offline", showState);
  if (navigator.onLine) { sync(); } else { showState(); }

  // Downloads.
  function markStale(course) {
    return all("downloads").then(function (downloads) {
      var record = downloads.filter(function (d) { return d.course === course; })[0];
      if (record) { record.stale = true; return put("downloads", record); }
      return null;
    });
  }
  function fetchAll(urls, cache, progress) {
    var total = 0;
    var index = 0;
    function next() {
      if (index >= urls.length) { return Promise.resolve(total); }
      var url = urls[index];
      index += 1;
      return fetch(url, { credentials: "same-origin", headers: { "X-Elearn-Purpose": "offline" } }).then(function (response) {
        // A redirect here is the log-in page: the session ended.
        if (!response.ok || response.redirected) { throw new Error(url); }
        return response.clone().blob().then(function (blob) {
          total += blob.size;
          progress(index, urls.length);
          return cache.put(url, response);
        });
      }).then(next);
    }
    return next();
  }
  function downloadPanel(panel) {
    var course = panel.dataset.offlineCourse;
    var state = panel.querySelector("[data-offline-state]");
    var getButton = panel.querySelector("[data-offline-get]");
    var removeButton = panel.querySelector("[data-offline-remove]");
    var intro = state.textContent;
    function show(record) {
      getButton.hidden = Boolean(record) && !record.stale && record.version === Number(panel.dataset.version);
      removeButton.hidden = !record;
      if (!record) { state.textContent = intro; return; }
      state.textContent = fill(texts.downloaded, { size: sizeLabel(record.bytes) });
      if (record.stale || record.version !== Number(panel.dataset.version)) { state.textContent += " " + texts.stale; }
    }
    function current() {
      return all("downloads").then(function (downloads) {
        return downloads.filter(function (d) { return d.course === course && d.user === user; })[0];
      });
    }
    getButton.addEventListener("click", function () {
      var fresh = null;
      getButton.disabled = true;
      fetch(panel.dataset.package, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (response) {
          if (!response.ok) { throw new Error("package"); }
          return response.json();
        }).then(function (pack) {
          if (navigator.storage && navigator.storage.persist) { navigator.storage.persist(); }
          // A new download goes into a cache of its own: the copy in use stays until it is whole.
          fresh = COURSE_CACHE + course + "-" + Date.now();
          return caches.open(fresh).then(function (cache) {
            return fetchAll(pack.urls, cache, function (done, total) {
              state.textContent = fill(texts.downloading, { done: done, total: total });
            });
          }).then(function (bytes) {
            var record = { course: course, user: user, title: pack.title, version: pack.version, bytes: bytes,
                           page: pack.urls[0], cache: fresh, at: new Date().toISOString() };
            return current().then(function (old) {
              return put("downloads", record).then(function () { return old && caches.delete(old.cache); });
            }).then(function () { return record; });
          });
        }).then(show).catch(function () {
          if (fresh) { caches.delete(fresh); }
          state.textContent = texts.failed;
        }).then(function () { getButton.disabled = false; });
    });
    removeButton.addEventListener("click", function () {
      current().then(function (record) { return record && caches.delete(record.cache); }).then(function () {
        return remove("downloads", course);
      }).then(function () {
        show(null);
        state.textContent = texts.removed;
        getButton.focus();
      });
    });
    current().then(show).then(function () { panel.hidden = false; });
  }
  document.querySelectorAll("[data-offline-course]").forEach(downloadPanel);

  // Downloads belong to the person who made them: another person signing in here, or the
  // owner logging out (a shared office computer), removes them. Queued actions stay, each
  // with its owner, until that person is signed in again to send them.
  function forget(keepUser) {
    return all("downloads").then(function (downloads) {
      return Promise.all(downloads.filter(function (d) { return d.user !== keepUser; }).map(function (d) {
        return caches.delete(d.cache).then(function () { return remove("downloads", d.course); });
      }));
    });
  }
  if (user !== null && !isCopy) { forget(user); }
  document.querySelectorAll("form[data-logout]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      forget(null).catch(function () { /* log out all the same */ }).then(function () { form.submit(); });
    });
  });

  // The offline notice lists what can be read without a connection.
  var list = document.querySelector("[data-offline-downloads]");
  if (list) {
    all("downloads").then(function (downloads) {
      var items = list.querySelector("ul");
      downloads.forEach(function (d) {
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = d.page;
        a.textContent = d.title;
        li.appendChild(a);
        items.appendChild(li);
      });
      list.hidden = !downloads.length;
    });
  }
  document.querySelectorAll("[data-reload]").forEach(function (button) {
    button.addEventListener("click", function () { window.location.reload(); });
  });
}());
