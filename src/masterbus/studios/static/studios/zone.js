// The visitor's time zone, as the browser knows it: filled into the search and slot forms
// (hidden "tz" fields), and a page showing another zone is reloaded once in the visitor's.
(function () {
  "use strict";
  var zone;
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch (error) {
    return;
  }
  if (!zone) return;
  document.querySelectorAll('input[name="tz"]').forEach(function (input) {
    input.value = zone;
  });
  var note = document.getElementById("zone-note");
  var url = new URL(window.location.href);
  if (note && note.dataset.zone !== zone && !url.searchParams.has("tz")) {
    url.searchParams.set("tz", zone);
    window.location.replace(url.toString());
  }
})();
