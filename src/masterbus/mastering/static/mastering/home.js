/*
 * The mastering form: uploads the chosen song (and an optional reference track) with
 * MasterbusUpload (tus, resumable) and enables "Master" once the upload is complete.
 */
(function () {
  "use strict";

  function byId(id) {
    return document.getElementById(id);
  }

  function percent(sent, total) {
    return total ? Math.floor((sent / total) * 100) + " %" : "";
  }

  // One file input wired to an upload: progress bar, message, hidden id field.
  function wireUpload(input, parts) {
    var busy = false;
    function start(file) {
      if (!file) return;
      busy = true;
      parts.idField.value = "";
      parts.onBusy(true);
      parts.progress.hidden = false;
      parts.progress.value = 0;
      parts.message.textContent = "Uploading " + file.name + "…";
      parts.message.classList.remove("error");
      window.MasterbusUpload.start(file, {
        onProgress: function (sent, total) {
          parts.progress.value = total ? sent / total : 0;
          parts.message.textContent = "Uploading " + file.name + ": " + percent(sent, total);
        },
        onSuccess: function (uploadId) {
          busy = false;
          parts.idField.value = uploadId;
          parts.progress.value = 1;
          parts.message.textContent = file.name + " is uploaded.";
          parts.onBusy(false);
        },
        onError: function (message) {
          busy = false;
          parts.progress.hidden = true;
          parts.message.textContent = message;
          parts.message.classList.add("error");
          parts.onBusy(false);
        },
      });
    }
    input.addEventListener("change", function () {
      start(input.files && input.files[0]);
    });
    return {
      start: start,
      busy: function () {
        return busy;
      },
    };
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = byId("master-form");
    if (!form) return;
    var button = byId("master-button");
    var songId = form.querySelector("input[name=upload_id]");
    var refId = form.querySelector("input[name=reference_upload_id]");
    var song = null;
    var reference = null;

    function refresh() {
      var waiting = (song && song.busy()) || (reference && reference.busy());
      var missing = songId && !songId.value;
      button.disabled = Boolean(waiting || missing);
    }

    var songInput = byId("song-file");
    if (songInput) {
      song = wireUpload(songInput, {
        idField: songId,
        progress: byId("upload-progress"),
        message: byId("upload-message"),
        onBusy: refresh,
      });
      var zone = byId("drop-zone");
      ["dragenter", "dragover"].forEach(function (name) {
        zone.addEventListener(name, function (event) {
          event.preventDefault();
          zone.classList.add("over");
        });
      });
      ["dragleave", "drop"].forEach(function (name) {
        zone.addEventListener(name, function () {
          zone.classList.remove("over");
        });
      });
      zone.addEventListener("drop", function (event) {
        event.preventDefault();
        var file = event.dataTransfer && event.dataTransfer.files[0];
        if (file) song.start(file);
      });
    }
    var refInput = byId("reference-file");
    if (refInput) {
      reference = wireUpload(refInput, {
        idField: refId,
        progress: byId("reference-progress"),
        message: byId("reference-message"),
        onBusy: refresh,
      });
    }

    var target = form.querySelector("select[name=target]");
    var custom = form.querySelector(".custom-lufs");
    function toggleCustom() {
      if (custom) custom.hidden = target.value !== "custom";
    }
    if (target) {
      target.addEventListener("change", toggleCustom);
      toggleCustom();
    }
    refresh();
  });
})();
