/*
 * The A/B player: original and master play in step; switching swaps which one is heard without
 * stopping. "Same loudness" turns the louder one down by the report's ab_match_gain_db, so the
 * comparison is about tone and dynamics, not level.
 */
(function () {
  "use strict";

  function fmt(seconds) {
    var s = Math.max(0, Math.floor(seconds || 0));
    return Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
  }

  document.addEventListener("DOMContentLoaded", function () {
    var root = document.getElementById("ab-player");
    if (!root) return;
    var original = document.getElementById("audio-original");
    var master = document.getElementById("audio-master");
    var play = document.getElementById("ab-play");
    var match = document.getElementById("ab-match");
    var seek = document.getElementById("ab-seek");
    var time = document.getElementById("ab-time");
    var gainDb = parseFloat(root.dataset.matchGainDb) || 0;

    function current() {
      var checked = root.querySelector("input[name=ab-source]:checked");
      return checked && checked.value === "original" ? original : master;
    }

    function applyLevels() {
      var gain = match.checked ? Math.pow(10, gainDb / 20) : 1;
      // An element's volume cannot exceed 1: turn the other one down instead.
      master.volume = Math.min(1, gain);
      original.volume = gain > 1 ? 1 / gain : 1;
      var heard = current();
      original.muted = heard !== original;
      master.muted = heard !== master;
    }

    function sync() {
      var heard = current();
      var other = heard === master ? original : master;
      if (Math.abs(other.currentTime - heard.currentTime) > 0.05) {
        other.currentTime = heard.currentTime;
      }
    }

    play.addEventListener("click", function () {
      if (master.paused) {
        sync();
        applyLevels();
        Promise.all([original.play(), master.play()]).catch(function () {});
        play.textContent = "Pause";
      } else {
        original.pause();
        master.pause();
        play.textContent = "Play";
      }
    });
    root.querySelectorAll("input[name=ab-source]").forEach(function (radio) {
      radio.addEventListener("change", function () {
        var heard = current();
        var other = heard === master ? original : master;
        heard.currentTime = other.currentTime;
        applyLevels();
        root.dataset.heard = heard === master ? "master" : "original";
      });
    });
    match.addEventListener("change", applyLevels);
    master.addEventListener("timeupdate", function () {
      if (master.duration) seek.value = Math.round((master.currentTime / master.duration) * 1000);
      time.textContent = fmt(master.currentTime);
      root.dataset.position = master.currentTime.toFixed(2);
    });
    seek.addEventListener("input", function () {
      if (!master.duration) return;
      var t = (seek.value / 1000) * master.duration;
      master.currentTime = t;
      original.currentTime = t;
    });
    master.addEventListener("ended", function () {
      original.pause();
      play.textContent = "Play";
    });
    applyLevels();
    root.dataset.heard = "master";
  });
})();
