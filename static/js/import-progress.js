// While a large spreadsheet is read, show how many rows the server has read so far.
(function () {
  "use strict";
  var form = document.getElementById("import-form");
  if (!form || !window.fetch) { return; }
  form.addEventListener("submit", function () {
    var status = document.getElementById("import-progress");
    var key = form.querySelector("[name=progress_key]");
    if (!status || !key || !key.value) { return; }
    status.hidden = false;
    var url = form.getAttribute("data-progress-url") + encodeURIComponent(key.value) + "/";
    window.setInterval(function () {
      fetch(url, { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (body) { if (body && body.rows) { status.textContent = body.text; } })
        .catch(function () {});
    }, 1500);
  });
})();
