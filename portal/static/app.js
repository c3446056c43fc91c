/* Leer-Kracht: the little script every page loads. Everything works without it; it hides
   the no-JavaScript fallback buttons (the "js" class), closes the "Meer" menu, keeps the
   unread badge fresh where htmx is not loaded, and offers the kennisbank and your own
   questions offline (see sw.js). Plain ES5: old tablets run it too. */
document.documentElement.classList.add("js");

/* updateViaCache "all": the browser looks for a new service worker through its HTTP cache
   (sw.js is kept an hour), not with a request after every page. */
if ("serviceWorker" in navigator && document.body && document.body.dataset.sw) {
  navigator.serviceWorker.register(document.body.dataset.sw, { scope: "/", updateViaCache: "all" })
    .catch(function () {});
}

/* "Meer" is a <details>: it opens without JavaScript; here it also closes on a click
   elsewhere and on Escape, as a menu does. */
(function () {
  var more = document.querySelector("details.more");
  if (!more) return;
  document.addEventListener("click", function (event) {
    if (more.open && !more.contains(event.target)) more.open = false;
  });
  document.addEventListener("keydown", function (event) {
    if (more.open && (event.key === "Escape" || event.key === "Esc")) {
      more.open = false;
      more.querySelector("summary").focus();
    }
  });
})();

/* The unread badge, asked for every minute while the page is in view. Pages with htmx
   poll through hx-trigger; the others (most pages: htmx is only sent where it is used)
   poll here. A redirect (the session ended) leaves the badge as it is. */
(function () {
  var badge = document.getElementById("badge");
  var url = badge && badge.getAttribute("data-poll");
  if (!url || !window.fetch) return;
  setInterval(function () {
    if (window.htmx || document.hidden) return;
    fetch(url, { credentials: "same-origin" }).then(function (response) {
      return response.ok && !response.redirected ? response.text() : "";
    }).then(function (html) {
      var current = document.getElementById("badge");
      if (current && html.indexOf('id="badge"') !== -1) current.outerHTML = html;
    }).catch(function () {});
  }, 60000);
})();

/* A privacy warning that the live check just drew below the fold (on a phone, under the
   description she is typing) is scrolled up just far enough to show its heading, once per
   warning: she sees it without losing the text she is typing. */
(function () {
  var shown = !!document.querySelector("#privacy .privacy-warn");
  document.addEventListener("htmx:afterSettle", function () {
    var warn = document.querySelector("#privacy .privacy-warn");
    if (!warn) { shown = false; return; }
    if (shown) return;
    shown = true;
    var heading = warn.querySelector("h2") || warn;
    var below = heading.getBoundingClientRect().bottom + 8 - window.innerHeight;
    if (below > 0) window.scrollBy(0, below);
  });
})();
