/*
 * Masterbus resumable uploads in the browser, on the vendored tus-js-client (window.tus).
 *
 *   var handle = MasterbusUpload.start(file, {
 *     onProgress: function (sent, total) {},
 *     onSuccess: function (uploadId) {},
 *     onError: function (message) {},      // a sentence for a person, never a stack trace
 *   }, {endpoint: "/uploads/"});            // options are optional
 *   handle.pause(); handle.cancel();
 *
 * A reload does not lose the upload: tus-js-client keeps the upload's URL in localStorage,
 * keyed by the file's name, type, size and date, and start() resumes from the server's offset.
 * That upload history is functional storage (P28): it is kept only when the page says the
 * visitor allowed it (<html data-consent-functional="granted">).
 * Our server keeps every byte that arrived, so a dropped connection or a reload costs at most the
 * bytes in flight. Requests carry Django's CSRF token in the X-CSRFToken header.
 */
(function () {
  "use strict";

  // Every browser-storage key this module writes (for the cookie and storage registry, P27).
  var STORAGE_KEYS = [
    {
      key: "tus::<file fingerprint>::<random id>",
      storage: "localStorage",
      category: "functional",
      purpose: "upload history: resume an interrupted upload after a reload",
      retention: "7 days",
    },
  ];
  var STORAGE_PREFIX = "tus::";
  var HISTORY_MS = 7 * 24 * 3600 * 1000;

  var DEFAULTS = {
    endpoint: "/uploads/",
    // A chunk per request: a proxy that buffers request bodies then loses at most one chunk.
    chunkSize: 16 * 1024 * 1024,
    // Network errors, 5xx, 409 and 423 are retried with these pauses (ms), then reported.
    retryDelays: [0, 1000, 3000, 5000, 10000, 20000],
  };

  function historyAllowed() {
    return document.documentElement.getAttribute("data-consent-functional") === "granted";
  }

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (input && input.value) return input.value;
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  // Forget upload records older than the promised retention, and any we cannot read.
  function pruneHistory() {
    var storage;
    try {
      storage = window.localStorage;
    } catch (e) {
      return; // storage disabled: uploads still work, they just cannot resume after a reload
    }
    var now = Date.now();
    for (var i = storage.length - 1; i >= 0; i--) {
      var key = storage.key(i);
      if (!key || key.indexOf(STORAGE_PREFIX) !== 0) continue;
      var created = NaN;
      try {
        created = Date.parse(JSON.parse(storage.getItem(key)).creationTime);
      } catch (e) {
        // unreadable record: removed below
      }
      if (!(now - created < HISTORY_MS)) storage.removeItem(key);
    }
  }

  function plainMessage(error) {
    var response = error && error.originalResponse;
    var status = response ? response.getStatus() : 0;
    if (status >= 400 && status < 500) {
      var type = response.getHeader("Content-Type") || "";
      var body = response.getBody() || "";
      if (type.indexOf("text/plain") === 0 && body && body.length < 500) return body;
      if (status === 403) return "Your session has expired. Reload the page and try again.";
      if (status === 413) return "The file is too large.";
      return "The server refused the upload (" + status + ").";
    }
    if (status >= 500) return "The server had a problem. Please try again in a moment.";
    if (typeof navigator !== "undefined" && navigator.onLine === false) {
      return "You are offline. Try again when you are back: the upload continues where it stopped.";
    }
    return "The connection to the server was lost. Try again: the upload continues where it stopped.";
  }

  function uploadIdFrom(url) {
    return url.replace(/\/+$/, "").split("/").pop();
  }

  function start(file, callbacks, options) {
    callbacks = callbacks || {};
    options = Object.assign({}, DEFAULTS, options || {});
    pruneHistory();
    var upload = new window.tus.Upload(file, {
      endpoint: options.endpoint,
      chunkSize: options.chunkSize,
      retryDelays: options.retryDelays,
      metadata: { filename: file.name, filetype: file.type || "" },
      headers: { "X-CSRFToken": csrfToken() },
      removeFingerprintOnSuccess: true,
      storeFingerprintForResuming: historyAllowed(),
      onProgress: function (sent, total) {
        if (callbacks.onProgress) callbacks.onProgress(sent, total);
      },
      onSuccess: function () {
        if (callbacks.onSuccess) callbacks.onSuccess(uploadIdFrom(upload.url));
      },
      onError: function (error) {
        if (callbacks.onError) callbacks.onError(plainMessage(error));
      },
    });
    upload
      .findPreviousUploads()
      .then(function (previous) {
        previous.sort(function (a, b) {
          return Date.parse(b.creationTime) - Date.parse(a.creationTime);
        });
        if (previous.length) upload.resumeFromPreviousUpload(previous[0]);
        upload.start();
      })
      .catch(function () {
        upload.start(); // no readable history: a fresh upload
      });
    return {
      pause: function () {
        return upload.abort(false);
      },
      cancel: function () {
        return upload.abort(true); // also deletes the partial upload on the server
      },
    };
  }

  window.MasterbusUpload = { start: start, STORAGE_KEYS: STORAGE_KEYS };
})();
