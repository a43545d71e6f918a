// Small enhancements; every page works without them (plain form posts).
(function () {
  "use strict";

  function post(form, extra) {
    var data = new FormData(form);
    Object.keys(extra || {}).forEach(function (key) { data.set(key, extra[key]); });
    // Not form.action: the quiz's buttons are named "action" and would shadow it.
    return fetch(form.getAttribute("action") || window.location.href, {
      method: "POST",
      body: data,
      headers: { "Accept": "application/json" },
      credentials: "same-origin"
    }).then(function (response) {
      return response.json().then(function (body) { return { ok: response.ok, body: body }; });
    });
  }

  // What cannot be undone asks first (without script the form posts at once, as any form).
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.dataset.confirm)) { event.preventDefault(); }
    });
  });

  // A table or a code block wider than the screen scrolls inside its frame: the frame then takes
  // the focus, so that the arrow keys can scroll it too. Scripts that replace part of the page
  // (the authoring preview) send "elearn:changed".
  function scrollableRegions() {
    document.querySelectorAll(".table-wrap, .prose pre").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth) { box.tabIndex = 0; } else { box.removeAttribute("tabindex"); }
    });
  }
  scrollableRegions();
  window.addEventListener("resize", scrollableRegions);
  document.addEventListener("elearn:changed", scrollableRegions);

  // Knowledge checks: the server checks the answer and sends the feedback back.
  document.querySelectorAll("form[data-check-form]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var box = form.parentElement.querySelector(".check-feedback");
      post(form).then(function (result) {
        box.textContent = "";
        var verdict = document.createElement("p");
        if (!result.ok) {
          verdict.className = "verdict wrong";
          verdict.textContent = result.body.error;
          box.appendChild(verdict);
          return;
        }
        verdict.className = "verdict " + result.body.verdict;
        verdict.textContent = box.dataset[result.body.verdict];
        box.appendChild(verdict);
        result.body.feedback_html.forEach(function (html) {
          var div = document.createElement("div");
          div.innerHTML = html;  // sanitised on the server by the one renderer
          box.appendChild(div);
        });
      }).catch(function (error) {
        // fetch fails with a TypeError when the connection failed on the way: offline.js may
        // keep the answer for later. Any other answer (the log-in page) is for the form to show.
        var kept = error instanceof TypeError && !form.dispatchEvent(new CustomEvent("elearn:unsent", { cancelable: true }));
        if (!kept) { form.submit(); }
      });
    });
  });

  // Quiz: answers are saved as the learner goes, and the countdown submits at the deadline.
  var quiz = document.querySelector("form[data-quiz-form]");
  if (!quiz) { return; }
  var status = quiz.querySelector("[data-save-status]");
  var timer = null;
  function save() {
    post(quiz, { action: "save" }).then(function (result) {
      status.textContent = result.ok ? status.dataset.saved : result.body.error;
    }).catch(function () { status.textContent = status.dataset.offline; });
  }
  quiz.addEventListener("change", function () {
    clearTimeout(timer);
    timer = setTimeout(save, 800);
  });
  quiz.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(save, 2000);
  });
  var deadlineBox = quiz.querySelector("[data-deadline]");
  if (deadlineBox) {
    var deadline = new Date(deadlineBox.dataset.deadline).getTime();
    var tick = function () {
      var left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
      deadlineBox.textContent = deadlineBox.dataset.label + " " + Math.floor(left / 60) + ":" + String(left % 60).padStart(2, "0");
      if (left === 0) {
        var submit = quiz.querySelector("button[value=submit]");
        if (submit) { submit.click(); }
        return;
      }
      setTimeout(tick, 1000);
    };
    tick();
  }
}());
