/* Show-if on the same page: a question with data-show-if="KEY" data-show-values="a,b" shows
   while the answer to KEY is one of those values. The server checks the same rule. */
(function () {
  "use strict";
  function answersOf(form, key) {
    var out = [];
    form.querySelectorAll('[name="q_' + key + '"]').forEach(function (input) {
      if ((input.type === "radio" || input.type === "checkbox") && !input.checked) return;
      if (input.value) out.push(input.value);
    });
    return out;
  }
  function update(form) {
    form.querySelectorAll("fieldset[data-show-if]").forEach(function (box) {
      var key = box.getAttribute("data-show-if");
      if (!form.querySelector('[name="q_' + key + '"]')) return; // asked on another page
      var wanted = box.getAttribute("data-show-values").split(",");
      var given = answersOf(form, key);
      box.hidden = !given.some(function (v) { return wanted.indexOf(v) !== -1; });
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("survey-form");
    if (!form) return;
    form.addEventListener("change", function () { update(form); });
    update(form);
  });
})();
