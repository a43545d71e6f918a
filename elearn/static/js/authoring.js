// Web editor: a live preview of the file being written. The server renders it with the same
// sanitising renderer as imports; without this script the "Preview" button does the same.
(function () {
  "use strict";
  var editor = document.querySelector("textarea[data-preview-url]");
  if (!editor) { return; }
  var box = document.querySelector("[data-preview]");
  var list = document.querySelector("[data-problems]");
  var token = editor.form.querySelector("input[name=csrf_token]").value;
  var timer = null;

  function show(body) {
    box.innerHTML = body.html;  // sanitised on the server by the one renderer
    list.textContent = "";
    body.problems.forEach(function (problem) {
      var item = document.createElement("li");
      item.textContent = problem;
      list.appendChild(item);
    });
    document.dispatchEvent(new CustomEvent("elearn:changed"));
  }

  function refresh() {
    fetch(editor.dataset.previewUrl, {
      method: "POST",
      body: JSON.stringify({ path: editor.dataset.path, text: editor.value }),
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": token },
      credentials: "same-origin"
    }).then(function (response) {
      return response.ok ? response.json().then(show) : null;
    }).catch(function () { /* offline: the Preview button still works */ });
  }

  editor.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(refresh, 600);
  });
}());
