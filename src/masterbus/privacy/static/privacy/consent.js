/*
 * Removes browser storage of the categories the visitor has not allowed (never given, or
 * withdrawn). The server lists those keys from the cookie registry in data-forget.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  var forget = JSON.parse((script && script.getAttribute("data-forget")) || "[]");
  forget.forEach(function (item) {
    var storage;
    try {
      storage = window[item.where];
    } catch (e) {
      return; // storage disabled: nothing to remove
    }
    for (var i = storage.length - 1; i >= 0; i--) {
      var key = storage.key(i);
      if (key === item.name || (item.prefix && key && key.indexOf(item.name) === 0)) {
        storage.removeItem(key);
      }
    }
  });
})();
