// Web forms: keep what a participant types on this device only (localStorage); nothing is sent.
(function () {
  "use strict";
  function fields(form) {
    return Array.prototype.filter.call(form.elements, function (el) { return el.name; });
  }
  function load(form, key) {
    var saved;
    try { saved = JSON.parse(localStorage.getItem(key) || "{}"); } catch (e) { saved = {}; }
    fields(form).forEach(function (el) {
      if (!(el.name in saved)) return;
      if (el.type === "checkbox") el.checked = saved[el.name] === true;
      else if (el.type === "radio") el.checked = saved[el.name] === el.value;
      else el.value = saved[el.name];
    });
  }
  function save(form, key) {
    var data = {};
    fields(form).forEach(function (el) {
      if (el.type === "checkbox") data[el.name] = el.checked;
      else if (el.type === "radio") { if (el.checked) data[el.name] = el.value; }
      else data[el.name] = el.value;
    });
    localStorage.setItem(key, JSON.stringify(data));
  }
  function setup(form) {
    var key = form.getAttribute("data-storage-key");
    var status = document.querySelector("[data-form-status='" + form.id + "']");
    load(form, key);
    form.addEventListener("input", function () { save(form, key); if (status) status.textContent = "Saved in this browser."; });
    form.addEventListener("change", function () { save(form, key); });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    document.querySelectorAll("[data-form-action][data-form='" + form.id + "']").forEach(function (button) {
      button.addEventListener("click", function () {
        if (button.getAttribute("data-form-action") === "print") { window.print(); return; }
        if (!window.confirm("Clear everything you typed in this form on this device?")) return;
        localStorage.removeItem(key);
        form.reset();
        fields(form).forEach(function (el) {
          if (el.type !== "checkbox" && el.type !== "radio") el.value = el.defaultValue;
        });
        if (status) status.textContent = "Cleared.";
      });
    });
  }
  function init() { document.querySelectorAll("form.handbook-form").forEach(setup); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
