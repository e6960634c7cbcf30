// Copy buttons. Without JavaScript every command is plain text to select; with it, each
// command's button (hidden until now) puts the command on the clipboard.
(function () {
  "use strict";

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    // Older browsers and plain-HTTP pages on another host: the selection fallback.
    return new Promise(function (resolve, reject) {
      var ta = document.createElement("textarea");
      ta.value = text;
      ta.setAttribute("readonly", "");
      ta.className = "offscreen";
      document.body.appendChild(ta);
      ta.select();
      var ok = false;
      try {
        ok = document.execCommand("copy");
      } catch (e) {
        ok = false;
      }
      document.body.removeChild(ta);
      if (ok) {
        resolve();
      } else {
        reject(new Error("copy refused"));
      }
    });
  }

  function say(button, message) {
    button.textContent = message;
    window.setTimeout(function () {
      button.textContent = button.dataset.label;
    }, 1500);
  }

  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    button.dataset.label = button.textContent;
    button.hidden = false;
    button.addEventListener("click", function () {
      copyText(button.dataset.copy).then(
        function () { say(button, "Copied"); },
        function () { say(button, "Select & copy"); }
      );
    });
  });
  document.documentElement.classList.add("js");
})();
