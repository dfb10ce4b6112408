/*
 * Asks before a destructive form is sent: <form data-confirm="Delete …?">. A script file, not an
 * inline onsubmit attribute, because the Content-Security-Policy allows no inline script.
 */
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var question = event.target.getAttribute("data-confirm");
    if (question && !window.confirm(question)) event.preventDefault();
  });
})();
