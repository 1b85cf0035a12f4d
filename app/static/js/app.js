// CE Tracker's small script: the CSRF header for htmx requests and messages from HX-Trigger.
// Every page works without it.
(function () {
  "use strict";
  document.addEventListener("htmx:configRequest", function (event) {
    var meta = document.querySelector('meta[name="csrf-token"]');
    if (meta && event.detail.verb !== "get") {
      event.detail.headers["X-CSRFToken"] = meta.getAttribute("content");
    }
  });
  document.addEventListener("showMessage", function (event) {
    var box = document.getElementById("messages");
    if (!box) { return; }
    var p = document.createElement("p");
    p.className = "flash flash-success";
    p.setAttribute("role", "status");
    p.textContent = (event.detail && event.detail.value) || "";
    box.replaceChildren(p);
  });
})();
