/* The UTM builder: choosing a channel or a campaign phase fills in the UTM fields that still
   hold the previous defaults (or nothing); what the user typed is never overwritten.
   The defaults come from a <script type="application/json"> block (CSP: no inline scripts). */
(function () {
  "use strict";

  function init(form) {
    var source = document.getElementById(form.getAttribute("data-utm-defaults"));
    if (!source) return;
    var defaults = JSON.parse(source.textContent);
    var channel = form.querySelector("[data-utm-channel]");
    var phase = form.querySelector("[data-utm-phase]");
    function field(key) { return form.querySelector('[data-utm="' + key + '"]'); }
    function campaign(base, phaseValue) { return phaseValue ? base + "_" + phaseValue : base; }
    var baseCampaign = (defaults.other || {}).utm_campaign || "";
    var previous = { channel: channel ? channel.value : "", phase: phase ? phase.value : "" };

    function replaceIfDefault(key, oldValue, newValue) {
      var input = field(key);
      if (input && (input.value === "" || input.value === oldValue)) input.value = newValue;
    }
    if (channel) channel.addEventListener("change", function () {
      var before = defaults[previous.channel] || {};
      var after = defaults[channel.value] || {};
      ["utm_source", "utm_medium"].forEach(function (key) {
        replaceIfDefault(key, before[key] || "", after[key] || "");
      });
      replaceIfDefault("utm_campaign", "", campaign(baseCampaign, phase ? phase.value : ""));
      previous.channel = channel.value;
    });
    if (phase) phase.addEventListener("change", function () {
      replaceIfDefault("utm_campaign", campaign(baseCampaign, previous.phase), campaign(baseCampaign, phase.value));
      previous.phase = phase.value;
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-utm-defaults]").forEach(init);
  });
})();
