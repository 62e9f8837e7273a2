/* leadnet programme page: static tables and charts; this only marks the page as loaded (for tests). */
(function () {
  "use strict";
  var body = document.body;
  body.dataset.xss = String(!!window.__xss);
  window.addEventListener("load", function () {
    body.dataset.xss = String(!!window.__xss);
    body.dataset.ready = "1";
  });
}());
