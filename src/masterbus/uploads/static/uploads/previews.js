/*
 * "Compare styles" on the home page: once the song is uploaded, ask the server for previews of
 * every style at the form's target and intensity, poll until they are ready, then play the
 * original and the styles in step, switching which one is heard without stopping (as the A/B
 * player of a song's page does). Choosing a style here checks it in the form, and checking a
 * style in the form switches to it here, so the master uses the style last chosen.
 */
(function () {
  "use strict";

  function fmt(seconds) {
    var s = Math.max(0, Math.floor(seconds || 0));
    return Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
  }

  document.addEventListener("DOMContentLoaded", function () {
    var root = document.getElementById("style-previews");
    var form = document.getElementById("master-form");
    var input = document.getElementById("song-file");
    if (!root || !form || !input) return;
    var status = document.getElementById("previews-status");
    var player = document.getElementById("previews-player");
    var play = document.getElementById("previews-play");
    var seek = document.getElementById("previews-seek");
    var time = document.getElementById("previews-time");
    var holder = document.getElementById("previews-audio");
    var buttons = Array.prototype.slice.call(root.querySelectorAll("button[data-preview]"));
    var pollMs = parseInt(root.dataset.pollMs, 10) || 1000;
    var uploadId = null;
    var request = 0; // the newest request wins; older answers are ignored
    var audios = {};
    var heard = "original";

    function say(text, isError) {
      status.textContent = text;
      status.classList.toggle("error", Boolean(isError));
    }

    function csrf() {
      var field = form.querySelector("input[name=csrfmiddlewaretoken]");
      return field ? field.value : "";
    }

    function each(fn) {
      Object.keys(audios).forEach(function (name) {
        fn(audios[name], name);
      });
    }

    function leading() {
      return audios[heard] || audios.original;
    }

    function stop() {
      each(function (audio) {
        audio.pause();
      });
      play.textContent = "Play";
    }

    function applyHeard() {
      each(function (audio, name) {
        audio.muted = name !== heard;
      });
      buttons.forEach(function (button) {
        button.setAttribute("aria-pressed", String(button.dataset.preview === heard));
        button.classList.toggle("secondary", button.dataset.preview !== heard);
      });
      root.dataset.heard = heard;
    }

    function switchTo(name) {
      if (!audios[name]) return;
      var from = leading();
      heard = name;
      var to = leading();
      if (from && to && from !== to && Math.abs(from.currentTime - to.currentTime) > 0.05) {
        to.currentTime = from.currentTime;
      }
      applyHeard();
    }

    function reset() {
      request++;
      stop();
      audios = {};
      holder.textContent = "";
      player.hidden = true;
    }

    function build(previews) {
      reset();
      previews.forEach(function (preview) {
        var audio = document.createElement("audio");
        audio.preload = "auto";
        audio.src = preview.url;
        audio.dataset.preview = preview.name;
        holder.appendChild(audio);
        audios[preview.name] = audio;
      });
      var chosen = form.querySelector("input[name=style]:checked");
      heard = chosen && audios[chosen.value] ? chosen.value : "original";
      var first = leading();
      first.addEventListener("timeupdate", function () {
        var lead = leading();
        if (lead.duration) seek.value = Math.round((lead.currentTime / lead.duration) * 1000);
        time.textContent = fmt(lead.currentTime);
        root.dataset.position = lead.currentTime.toFixed(2);
        // A busy machine lets the elements drift (a switch's seek leaves the one heard a little
        // behind): the muted ones follow the one heard, so the next switch needs no seek.
        if (lead.paused) return;
        each(function (audio) {
          if (audio !== lead && !audio.seeking &&
              Math.abs(audio.currentTime - lead.currentTime) > 0.1) {
            audio.currentTime = lead.currentTime;
          }
        });
      });
      each(function (audio) {
        audio.addEventListener("ended", stop);
      });
      applyHeard();
      player.hidden = false;
    }

    // a set whose worker died is rendered again when asked for again after the server's stale
    // time (PREVIEW_STALE_SECONDS): the page asks again once it has waited longer than that
    var retryMs = parseInt(root.dataset.retryMs, 10) || 130000;
    var asked = 0;

    function poll(url, mine) {
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          return response.json().then(function (body) {
            return { ok: response.ok, body: body };
          });
        })
        .then(function (answer) {
          if (mine !== request) return;
          var body = answer.body;
          if (!answer.ok || body.status === "failed") {
            say(body.error || body.message || "The previews could not be made.", true);
          } else if (body.status === "done") {
            build(body.previews);
            var level = body.match_lufs === null ? "one loudness" : body.match_lufs.toFixed(1) + " LUFS";
            say(
              "Ready: the original and " + (body.previews.length - 1) + " styles, all at " +
                level + ". Press Play and switch while listening."
            );
          } else if (Date.now() - asked > retryMs) {
            ask();
          } else {
            window.setTimeout(function () {
              poll(url, mine);
            }, pollMs);
          }
        })
        .catch(function () {
          if (mine === request) say("The connection was lost while preparing previews.", true);
        });
    }

    function ask() {
      if (!uploadId) return;
      reset();
      var mine = request;
      asked = Date.now();
      root.hidden = false;
      var reference = form.querySelector("input[name=reference_upload_id]");
      if (reference && reference.value) {
        say("With a reference track the master follows the reference's tone, not a style.");
        return;
      }
      say("Preparing previews…");
      fetch("/uploads/" + uploadId + "/previews", {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrf(), Accept: "application/json" },
        body: new FormData(form),
      })
        .then(function (response) {
          return response.json().then(function (body) {
            return { ok: response.ok, body: body };
          });
        })
        .then(function (answer) {
          if (mine !== request) return;
          if (!answer.ok) {
            say(answer.body.message || "The previews could not be asked for.", true);
            return;
          }
          poll("/uploads/" + uploadId + "/previews/" + answer.body.id, mine);
        })
        .catch(function () {
          if (mine === request) say("The connection was lost while asking for previews.", true);
        });
    }

    input.addEventListener("masterbus:upload-start", function () {
      uploadId = null;
      reset();
      root.hidden = true;
    });
    input.addEventListener("masterbus:uploaded", function (event) {
      uploadId = event.detail.uploadId;
      ask();
    });
    var referenceInput = document.getElementById("reference-file");
    if (referenceInput) referenceInput.addEventListener("masterbus:uploaded", ask);
    // previews are made for one target and intensity: new ones when those change
    form.querySelectorAll("input[name=target], input[name=intensity], input[name=custom_lufs]")
      .forEach(function (field) {
        field.addEventListener("change", ask);
      });
    form.querySelectorAll("input[name=style]").forEach(function (radio) {
      radio.addEventListener("change", function () {
        if (radio.checked) switchTo(radio.value);
      });
    });

    buttons.forEach(function (button) {
      button.addEventListener("click", function () {
        var name = button.dataset.preview;
        switchTo(name);
        var radio = form.querySelector("input[name=style][value='" + name + "']");
        if (radio) radio.checked = true; // a style heard here is the style mastered
      });
    });
    play.addEventListener("click", function () {
      var lead = leading();
      if (!lead) return;
      if (lead.paused) {
        each(function (audio) {
          if (audio !== lead) audio.currentTime = lead.currentTime;
        });
        applyHeard();
        var playing = [];
        each(function (audio) {
          playing.push(audio.play());
        });
        Promise.all(playing).catch(function () {});
        play.textContent = "Pause";
      } else {
        stop();
      }
    });
    seek.addEventListener("input", function () {
      var lead = leading();
      if (!lead || !lead.duration) return;
      var t = (seek.value / 1000) * lead.duration;
      each(function (audio) {
        audio.currentTime = t;
      });
    });
  });
})();
