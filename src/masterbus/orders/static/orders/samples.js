/*
 * Before/after samples on an engineer's page: the two files play in step and the A/B radios
 * swap which one is heard without stopping (as the mastering player does for a song).
 */
(function () {
  "use strict";

  function wire(root) {
    var before = root.querySelector("audio[data-side=before]");
    var after = root.querySelector("audio[data-side=after]");
    var play = root.querySelector("[data-play]");

    function heard() {
      var checked = root.querySelector("input[type=radio]:checked");
      return checked && checked.value === "before" ? before : after;
    }

    function levels() {
      var current = heard();
      before.muted = current !== before;
      after.muted = current !== after;
    }

    play.addEventListener("click", function () {
      if (after.paused) {
        before.currentTime = after.currentTime;
        levels();
        Promise.all([before.play(), after.play()]).catch(function () {});
        play.textContent = "Pause";
      } else {
        before.pause();
        after.pause();
        play.textContent = "Play";
      }
    });
    root.querySelectorAll("input[type=radio]").forEach(function (radio) {
      radio.addEventListener("change", levels);
    });
    after.addEventListener("ended", function () {
      before.pause();
      play.textContent = "Play";
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-sample]").forEach(wire);
  });
})();
