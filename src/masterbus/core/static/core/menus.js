// The header's menus (Hire, Learn, Account) are <details>: they work without this script. With
// it, opening one closes the others, and a click outside or Escape closes it, as menus do.
(function () {
  "use strict";
  var menus = function () {
    return document.querySelectorAll("header.site details");
  };
  document.addEventListener("toggle", function (event) {
    var opened = event.target;
    if (!opened.matches || !opened.matches("header.site details") || !opened.open) return;
    menus().forEach(function (menu) {
      if (menu !== opened) menu.open = false;
    });
  }, true);
  document.addEventListener("click", function (event) {
    menus().forEach(function (menu) {
      if (menu.open && !menu.contains(event.target)) menu.open = false;
    });
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    menus().forEach(function (menu) {
      if (!menu.open) return;
      menu.open = false;
      menu.querySelector("summary").focus();
    });
  });
})();
