"use strict";
// The hostile frame: as soon as it runs, post the message the server put in data-msg to the
// top window, with target origin "*".
(() => {
  const holder = document.getElementById("sim-frame-msg");
  const message = JSON.parse(holder.dataset.msg);
  window.top.postMessage(message, "*");
  holder.dataset.posted = "true";
})();
