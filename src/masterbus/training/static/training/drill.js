// Ear training: instant A/B switching with Web Audio (every clip plays in sync through its own
// gain; switching moves the gains), the "match the EQ" band on "Yours", and the preparing page's
// reload. No inline script (CSP); the page holds no answer, only the clips' URLs.
(function () {
  "use strict";

  function hzLabel(hz) {
    return hz >= 1000 ? (hz / 1000).toFixed(hz >= 10000 ? 1 : 2).replace(/\.?0+$/, "") + " kHz" : Math.round(hz) + " Hz";
  }

  function pending() {
    if (document.querySelector("[data-pending]")) {
      window.setTimeout(function () { window.location.reload(); }, 1000);
    }
  }

  function eqControls(player, filter) {
    var freq = document.querySelector("[data-eq=frequency]");
    var gain = document.querySelector("[data-eq=gain]");
    if (!freq || !gain) return;
    var freqOut = document.querySelector("[data-eq-out=frequency]");
    var gainOut = document.querySelector("[data-eq-out=gain]");
    function update() {
      var hz = Math.pow(2, parseFloat(freq.value));
      var db = parseFloat(gain.value);
      freqOut.textContent = hzLabel(hz);
      freq.setAttribute("aria-valuetext", hzLabel(hz));
      gainOut.textContent = (db > 0 ? "+" : "") + db + " dB";
      gain.setAttribute("aria-valuetext", gainOut.textContent);
      if (filter) {
        filter.frequency.value = hz;
        filter.gain.value = db;
      }
    }
    freq.addEventListener("input", update);
    gain.addEventListener("input", update);
    update();
    return update;
  }

  function setup(player) {
    var radios = Array.prototype.slice.call(player.querySelectorAll("input[data-src]"));
    var button = player.querySelector("[data-play]");
    var status = player.querySelector("[data-player-status]");
    var matchQ = player.getAttribute("data-match-q");
    var Ctx = window.AudioContext || window.webkitAudioContext;
    var ctx = null, buffers = null, gains = [], sources = [], filter = null, playing = false;

    if (matchQ) eqControls(player, null);
    if (!Ctx) {
      status.textContent = "This browser cannot play the clips (no Web Audio).";
      button.disabled = true;
      return;
    }

    function load() {
      ctx = new Ctx();
      status.textContent = "Loading the clips…";
      return Promise.all(radios.map(function (radio) {
        return fetch(radio.getAttribute("data-src"), { credentials: "same-origin" })
          .then(function (r) { if (!r.ok) throw new Error("clip " + r.status); return r.arrayBuffer(); })
          .then(function (data) { return ctx.decodeAudioData(data); });
      })).then(function (decoded) {
        buffers = decoded;
        gains = decoded.map(function () { var g = ctx.createGain(); g.connect(ctx.destination); return g; });
        if (matchQ) {  // "Yours" (the second clip) runs through the band the user moves
          filter = ctx.createBiquadFilter();
          filter.type = "peaking";
          filter.Q.value = parseFloat(matchQ);
          filter.connect(gains[1]);
          eqControls(player, filter);
        }
        status.textContent = "Ready.";
      });
    }

    function selected() {
      var index = 0;
      radios.forEach(function (r, i) { if (r.checked) index = i; });
      return index;
    }

    function route() {
      var now = ctx.currentTime, on = selected();
      gains.forEach(function (g, i) {  // a 5 ms ramp: instant, without a click
        g.gain.cancelScheduledValues(now);
        g.gain.setTargetAtTime(i === on ? 1 : 0, now, 0.005);
      });
      status.textContent = "Playing " + radios[on].parentNode.textContent.trim() + ".";
    }

    function start() {
      var when = ctx.currentTime + 0.05;
      sources = buffers.map(function (buffer, i) {
        var s = ctx.createBufferSource();
        s.buffer = buffer;
        s.loop = true;
        s.connect(filter && i === 1 ? filter : gains[i]);
        s.start(when);
        return s;
      });
      playing = true;
      button.textContent = "Stop";
      button.setAttribute("aria-pressed", "true");
      route();
    }

    function stop() {
      sources.forEach(function (s) { s.stop(); });
      sources = [];
      playing = false;
      button.textContent = "Play";
      button.setAttribute("aria-pressed", "false");
      status.textContent = "Stopped.";
    }

    button.addEventListener("click", function () {
      var ready = buffers ? Promise.resolve() : load();
      ready.then(function () {
        if (ctx.state === "suspended") ctx.resume();
        if (playing) stop(); else start();
      }).catch(function () { status.textContent = "The clips could not be loaded."; });
    });
    radios.forEach(function (r) { r.addEventListener("change", function () { if (playing) route(); }); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    pending();
    Array.prototype.forEach.call(document.querySelectorAll("[data-player]"), setup);
  });
})();
