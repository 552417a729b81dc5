// Phone-free time: a countdown to the end time the page already shows. The only script on the
// page; without it the end time is still there. The words come from the page's data attributes.
(function () {
  "use strict";
  var box = document.getElementById("phone-free-running");
  if (!box) return;
  var out = document.getElementById("phone-free-countdown");
  var end = Date.parse(box.dataset.endsAt);
  if (!out || isNaN(end)) return;
  function pad(n) { return n < 10 ? "0" + n : String(n); }
  function tick() {
    var left = Math.max(0, Math.ceil((end - Date.now()) / 1000));
    if (left === 0) {
      out.textContent = box.dataset.over;
      return;
    }
    var hours = Math.floor(left / 3600);
    var minutes = Math.floor((left % 3600) / 60);
    var seconds = left % 60;
    var clock = (hours ? hours + ":" + pad(minutes) : String(minutes)) + ":" + pad(seconds);
    out.textContent = box.dataset.left.replace("{time}", clock);
    window.setTimeout(tick, 1000 - (Date.now() % 1000) + 5);
  }
  out.hidden = false;
  tick();
})();
