// A budget ballot's running total as options are picked. The server works the same total out at
// every step; without this script the ballot works the same, and shows the total when reviewed.
(function () {
  "use strict";
  var form = document.querySelector("form[data-wd-budget]");
  if (!form) { return; }
  var budget = Number(form.getAttribute("data-wd-budget")) || 0;
  var lang = document.documentElement.lang || undefined;
  var money = new Intl.NumberFormat(lang, { maximumFractionDigits: 0 });
  var box = document.getElementById("wd-budget");
  var meter = document.getElementById("wd-budget-meter");
  function show(selector, text) {
    var element = box.querySelector(selector);
    if (element) { element.textContent = text; }
  }
  function update() {
    var total = 0;
    form.querySelectorAll("input[name=options]:checked").forEach(function (input) {
      total += Number(input.getAttribute("data-wd-cost")) || 0;
    });
    var over = total > budget;
    show("[data-wd-total]", money.format(total));
    show("[data-wd-left]", money.format(Math.max(0, budget - total)));
    show("[data-wd-over]", money.format(Math.max(0, total - budget)));
    box.querySelector("[data-wd-left-text]").hidden = over;
    box.querySelector("[data-wd-over-text]").hidden = !over;
    box.classList.toggle("wd-budget--over", over);
    meter.value = Math.min(total, budget);
  }
  form.addEventListener("change", function (event) {
    if (event.target.name === "options") { update(); }
  });
})();
