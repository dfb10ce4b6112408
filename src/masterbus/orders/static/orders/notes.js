/*
 * Revision notes pinned to times: a click on the waveform (or "Playing position") fills the
 * note's time and moves the A/B player there, so the note is written while hearing the moment.
 */
(function () {
  "use strict";

  document.addEventListener("DOMContentLoaded", function () {
    var wave = document.getElementById("note-wave");
    var at = document.getElementById("note-at");
    var now = document.getElementById("note-now");
    var player = document.getElementById("ab-player");

    function seek(seconds) {
      ["audio-original", "audio-master"].forEach(function (id) {
        var audio = document.getElementById(id);
        if (audio && audio.readyState > 0) audio.currentTime = seconds;
      });
    }

    if (wave && at) {
      var duration = parseFloat(wave.dataset.duration) || 0;
      wave.addEventListener("click", function (event) {
        var box = wave.getBoundingClientRect();
        if (!box.width || !duration) return;
        var fraction = Math.min(Math.max((event.clientX - box.left) / box.width, 0), 1);
        var seconds = Math.round(fraction * duration * 10) / 10;
        at.value = seconds;
        seek(seconds);
        var text = document.getElementById("note-text");
        if (text) text.focus();
      });
    }
    if (now && at) {
      now.addEventListener("click", function () {
        var position = player ? parseFloat(player.dataset.position) : NaN;
        at.value = isNaN(position) ? 0 : Math.round(position * 10) / 10;
      });
    }
  });
})();
