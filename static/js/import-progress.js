// While the worker reads or imports a spreadsheet, show how far it has got; reload the page
// (which then shows the preview or the result) when it is done. Without JavaScript the page
// refreshes itself (<meta refresh> in <noscript>).
(function () {
  "use strict";
  var status = document.getElementById("import-progress");
  if (!status || !window.fetch) { return; }
  var bar = document.getElementById("import-progress-bar");
  var label = document.getElementById("import-status");
  var url = status.getAttribute("data-progress-url");
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (body) {
        if (!body) { return; }
        if (!body.running) { window.location.reload(); return; }
        status.textContent = body.text;
        if (label && body.status_text) { label.textContent = body.status_text; }
        if (bar && body.total) {
          bar.max = body.total;
          bar.value = body.rows;
          bar.hidden = false;
        }
        window.setTimeout(poll, 1500);
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1000);
})();
