// Trial-balance diagnostics: the drop zone, the mapping dialog's Cancel, and the export
// buttons. The file stays in the page's file input (zero storage: the server keeps
// nothing between requests); htmx posts it again with every re-run.
(function () {
  "use strict";

  function csrfToken() {
    var raw = document.body.getAttribute("hx-headers") || "{}";
    try { return JSON.parse(raw)["X-CSRF-Token"] || ""; } catch (e) { return ""; }
  }

  function zoneOf(event) {
    return event.target.closest ? event.target.closest(".diag-drop") : null;
  }

  function setFiles(zone, files) {
    var input = zone.querySelector("input[type=file]");
    if (!input || !files || files.length === 0) { return; }
    var transfer = new DataTransfer();
    transfer.items.add(files[0]);
    input.files = transfer.files;
    input.dispatchEvent(new Event("change", { bubbles: true }));
  }

  document.addEventListener("dragover", function (event) {
    var zone = zoneOf(event);
    if (!zone) { return; }
    event.preventDefault();
    zone.classList.add("diag-drop-over");
  });
  document.addEventListener("dragleave", function (event) {
    var zone = zoneOf(event);
    if (zone) { zone.classList.remove("diag-drop-over"); }
  });
  document.addEventListener("drop", function (event) {
    var zone = zoneOf(event);
    if (!zone) { return; }
    event.preventDefault();
    zone.classList.remove("diag-drop-over");
    setFiles(zone, event.dataTransfer && event.dataTransfer.files);
  });

  // A new file: the result, overrides and mapping of the previous one no longer apply.
  document.addEventListener("change", function (event) {
    var zone = event.target.type === "file" ? zoneOf(event) : null;
    var selector = zone && zone.getAttribute("data-clears");
    var result = selector ? document.querySelector(selector) : null;
    if (result) { result.textContent = ""; }
  }, true);

  // A button that starts a fresh analysis (the books') clears the old result first, so
  // its overrides and materiality are not sent along. Capture: before htmx's handler.
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button[data-clears]");
    var result = button ? document.querySelector(button.getAttribute("data-clears")) : null;
    if (result) { result.textContent = ""; }
  }, true);

  document.addEventListener("click", function (event) {
    var close = event.target.closest && event.target.closest("[data-close-dialog]");
    if (close) {
      var dialog = close.closest("dialog");
      if (dialog) { dialog.remove(); }
      return;
    }
    var button = event.target.closest && event.target.closest("[data-export]");
    if (button) { exportAnalysis(button); }
  });

  function exportMessage(text) {
    var out = document.getElementById("diag-export-status");
    if (out) { out.textContent = text; }
  }

  function fileNameOf(response, fallback) {
    var header = response.headers.get("Content-Disposition") || "";
    var match = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(header);
    return match ? decodeURIComponent(match[1]) : fallback;
  }

  // The analysis, with the headings typed beside the buttons (blank ones left out).
  function exportBody(analysisText) {
    var body = JSON.parse(analysisText);
    var engagement = {};
    document.querySelectorAll("[data-engagement]").forEach(function (input) {
      var value = input.value.trim();
      if (value) { engagement[input.getAttribute("data-engagement")] = value; }
    });
    body.engagement = engagement;
    return JSON.stringify(body);
  }

  // POST the analysis the page holds to the export route and save the answer.
  function exportAnalysis(button) {
    var data = document.getElementById("diag-analysis");
    if (!data) { return; }
    button.setAttribute("aria-busy", "true");
    exportMessage("Preparing " + button.textContent.trim() + "…");
    fetch(button.getAttribute("data-url"), {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrfToken() },
      body: exportBody(data.textContent)
    }).then(function (response) {
      if (!response.ok) {
        return response.json().catch(function () { return {}; }).then(function (problem) {
          throw new Error((problem.detail || response.statusText) + " (" + response.status + ")");
        });
      }
      return response.blob().then(function (blob) {
        var link = document.createElement("a");
        link.href = URL.createObjectURL(blob);
        link.download = fileNameOf(response, button.getAttribute("data-filename") || "export");
        document.body.appendChild(link);
        link.click();
        link.remove();
        setTimeout(function () { URL.revokeObjectURL(link.href); }, 1000);
        exportMessage("Downloaded " + link.download + ".");
      });
    }).catch(function (error) {
      exportMessage("The export failed: " + error.message);
    }).finally(function () {
      button.removeAttribute("aria-busy");
    });
  }
})();
