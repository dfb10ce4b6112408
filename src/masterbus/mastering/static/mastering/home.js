/*
 * The mastering forms: upload the chosen song, or an album's songs (and an optional reference
 * track) with MasterbusUpload (tus, resumable) and enable "Master" once the uploads are complete.
 * A file input fires "masterbus:upload-start" and "masterbus:uploaded" (detail.uploadId).
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
      input.dispatchEvent(new CustomEvent("masterbus:upload-start", { bubbles: true }));
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
          // the style previews (uploads/previews.js) start from here
          input.dispatchEvent(
            new CustomEvent("masterbus:uploaded", { bubbles: true, detail: { uploadId: uploadId } })
          );
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

  // An album's files: one list item and upload each, one at a time, in file-name order (so
  // "01 …", "02 …" give the track order); each finished upload adds an upload_ids input.
  function wireAlbum(input, list, onBusy) {
    var queue = [];
    var running = false;
    var finished = 0;

    function item(file) {
      var li = document.createElement("li");
      var name = document.createElement("span");
      name.textContent = file.name + " ";
      var bar = document.createElement("progress");
      bar.max = 1;
      bar.value = 0;
      var message = document.createElement("span");
      message.className = "message";
      message.textContent = "waiting";
      var remove = document.createElement("button");
      remove.type = "button";
      remove.className = "link";
      remove.textContent = "Remove";
      remove.setAttribute("aria-label", "Remove " + file.name);
      li.append(name, bar, " ", message, " ", remove);
      list.appendChild(li);
      var entry = { file: file, li: li, bar: bar, message: message, handle: null, done: false };
      remove.addEventListener("click", function () {
        var waiting = queue.indexOf(entry);
        if (waiting >= 0) queue.splice(waiting, 1);
        if (entry.handle && !entry.done) {
          entry.handle.cancel();
          running = false;
          next();
        }
        if (entry.done && li.querySelector("input[name=upload_ids]")) finished--;
        li.remove();
        onBusy();
      });
      return entry;
    }

    function next() {
      if (running) return;
      var entry = queue.shift();
      onBusy();
      if (!entry) return;
      running = true;
      entry.message.textContent = "uploading…";
      entry.handle = window.MasterbusUpload.start(entry.file, {
        onProgress: function (sent, total) {
          entry.bar.value = total ? sent / total : 0;
          entry.message.textContent = percent(sent, total);
        },
        onSuccess: function (uploadId) {
          var field = document.createElement("input");
          field.type = "hidden";
          field.name = "upload_ids";
          field.value = uploadId;
          entry.li.appendChild(field);
          entry.done = true;
          entry.bar.value = 1;
          entry.message.textContent = "uploaded";
          finished++;
          running = false;
          next();
        },
        onError: function (message) {
          entry.done = true;
          entry.message.textContent = message;
          entry.message.classList.add("error");
          running = false;
          next();
        },
      });
    }

    function add(fileList) {
      var files = Array.prototype.slice.call(fileList || []);
      files.sort(function (a, b) {
        return a.name.localeCompare(b.name, undefined, { numeric: true });
      });
      files.forEach(function (file) {
        queue.push(item(file));
      });
      next();
    }

    input.addEventListener("change", function () {
      add(input.files);
      input.value = "";
    });
    return {
      add: add,
      busy: function () {
        return running || queue.length > 0;
      },
      count: function () {
        return finished;
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
    var album = null;

    function refresh() {
      var waiting =
        (song && song.busy()) || (reference && reference.busy()) || (album && album.busy());
      var missing = (songId && !songId.value) || (album && album.count() === 0);
      button.disabled = Boolean(waiting || missing);
    }

    var albumInput = byId("album-files");
    if (albumInput) album = wireAlbum(albumInput, byId("album-tracks"), refresh);

    var songInput = byId("song-file");
    if (songInput) {
      song = wireUpload(songInput, {
        idField: songId,
        progress: byId("upload-progress"),
        message: byId("upload-message"),
        onBusy: refresh,
      });
    }
    var zone = byId("drop-zone");
    if (zone && (song || album)) {
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
        var files = (event.dataTransfer && event.dataTransfer.files) || [];
        if (album) album.add(files);
        else if (files[0]) song.start(files[0]);
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

    // The loudness target is a segmented control (radio buttons): the custom field shows only
    // for "custom". The intensity slider shows its value beside it.
    var targets = form.querySelectorAll("input[name=target]");
    var custom = form.querySelector(".custom-lufs");
    function toggleCustom() {
      var chosen = form.querySelector("input[name=target]:checked");
      if (custom) custom.hidden = !chosen || chosen.value !== "custom";
    }
    targets.forEach(function (radio) {
      radio.addEventListener("change", toggleCustom);
    });
    if (targets.length) toggleCustom();
    var intensity = form.querySelector("input[name=intensity]");
    var shown = byId("intensity-value");
    if (intensity && shown) {
      intensity.addEventListener("input", function () {
        shown.textContent = intensity.value;
      });
    }
    refresh();
  });
})();
