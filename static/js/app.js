/* Behaviour attached through data attributes and classes; no inline scripts. */
(function () {
  "use strict";

  var gettext = window.gettext || function (s) { return s; };
  var lang = document.body.dataset.language || "vi";

  function initSearchable(root) {
    if (!window.TomSelect) { return; }
    root.querySelectorAll("select.js-searchable").forEach(function (el) {
      if (el.tomselect) { return; }
      var multiple = el.multiple;
      new TomSelect(el, {
        plugins: multiple ? ["remove_button", "clear_button"] : ["clear_button"],
        maxOptions: 500,
        allowEmptyOption: !multiple,
        hidePlaceholder: true,
        placeholder: multiple ? gettext("Type to search and add…") : gettext("Type to search…"),
        render: {
          no_results: function () {
            return '<div class="no-results">' + gettext("No matching entries") + "</div>";
          }
        }
      });
    });
  }

  function initDates(root) {
    if (!window.flatpickr) { return; }
    root.querySelectorAll("input.js-date").forEach(function (el) {
      if (el._flatpickr) { return; }
      window.flatpickr(el, {
        dateFormat: "d/m/Y",
        allowInput: true,
        locale: lang === "vi" && window.flatpickr.l10ns && window.flatpickr.l10ns.vn ? "vn" : "default"
      });
    });
  }

  function initConfirm(root) {
    root.querySelectorAll("form[data-confirm]:not([data-confirm-bound])").forEach(function (form) {
      form.dataset.confirmBound = "1";
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.dataset.confirm)) { event.preventDefault(); }
      });
    });
  }

  function initAutosubmit(root) {
    root.querySelectorAll("form.js-autosubmit select:not([data-autosubmit-bound])").forEach(function (el) {
      el.dataset.autosubmitBound = "1";
      el.addEventListener("change", function () { el.form.requestSubmit(); });
    });
  }

  function init(root) {
    initSearchable(root);
    initDates(root);
    initConfirm(root);
    initAutosubmit(root);
  }

  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:load", function (event) { init(event.target); });
})();
