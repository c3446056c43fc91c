/* Leer-Kracht: the little script the pages use. Everything works without it; it only
   hides the no-JavaScript fallback buttons, and offers the kennisbank and your own
   questions offline (see sw.js). */
document.documentElement.classList.add("js");
if ("serviceWorker" in navigator && document.body && document.body.dataset.sw) {
  navigator.serviceWorker.register(document.body.dataset.sw, { scope: "/" }).catch(function () {});
}
