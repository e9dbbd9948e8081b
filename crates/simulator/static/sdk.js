// Stand-in for Zoom's Smart Embed loader script (contract §1.2, §1.5). Run in the
// host page, it creates the embed iframe inside #zoom-embed-host (or the body) and calls
// window.onZoomPhoneIframeApiReady each time the iframe has loaded.
(function () {
  "use strict";
  var origin = new URL(document.currentScript.src).origin;
  var host = document.getElementById("zoom-embed-host") || document.body;
  var frame = document.createElement("iframe");
  frame.id = "zoom-embeddable-phone-iframe";
  frame.title = "Zoom Phone";
  frame.setAttribute("allow", "clipboard-read; clipboard-write " + origin);
  frame.src = origin + "/integration/phone/embeddablephone/home";
  frame.addEventListener("load", function () {
    if (typeof window.onZoomPhoneIframeApiReady === "function") {
      window.onZoomPhoneIframeApiReady();
    }
  });
  host.appendChild(frame);
})();
