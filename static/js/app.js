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

  function initDateTimes(root) {
    if (!window.flatpickr) { return; }
    root.querySelectorAll("input.js-datetime").forEach(function (el) {
      if (el._flatpickr) { return; }
      window.flatpickr(el, {
        dateFormat: "d/m/Y H:i",
        enableTime: true,
        time_24hr: true,
        allowInput: true,
        locale: lang === "vi" && window.flatpickr.l10ns && window.flatpickr.l10ns.vn ? "vn" : "default"
      });
    });
  }

  /* Escape closes an open calendar popup even while its text field has the focus. */
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    var input = event.target;
    if (input && input._flatpickr && input._flatpickr.isOpen) { input._flatpickr.close(); }
  });

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

  /* Spreadsheet grids: Enter / Shift+Enter move down / up, arrow keys move between
     cells of text inputs, and a block copied from Excel is pasted across cells. */
  function gridCells(table) {
    return Array.prototype.map.call(table.tBodies[0].rows, function (row) {
      return Array.prototype.slice.call(row.querySelectorAll(".grid-input, input.form-control, select.form-select"));
    }).filter(function (cells) { return cells.length; });
  }

  function position(table, input) {
    var rows = gridCells(table);
    for (var r = 0; r < rows.length; r++) {
      var c = rows[r].indexOf(input);
      if (c !== -1) { return { rows: rows, r: r, c: c }; }
    }
    return null;
  }

  function focusCell(rows, r, c) {
    if (r < 0 || r >= rows.length) { return; }
    var cell = rows[r][Math.min(c, rows[r].length - 1)];
    if (cell) {
      cell.focus();
      if (cell.select) { cell.select(); }
    }
  }

  function initGrids(root) {
    root.querySelectorAll("table.js-grid:not([data-grid-bound])").forEach(function (table) {
      table.dataset.gridBound = "1";
      table.addEventListener("keydown", function (event) {
        var input = event.target;
        if (!input.matches("input, select, textarea") || input.type === "file") { return; }
        var at = position(table, input);
        if (!at) { return; }
        var textual = input.tagName === "INPUT" && input.type !== "checkbox";
        if (event.key === "Enter" && input.tagName !== "TEXTAREA") {
          event.preventDefault();
          focusCell(at.rows, at.r + (event.shiftKey ? -1 : 1), at.c);
        } else if (event.key === "ArrowDown" && input.tagName !== "SELECT") {
          event.preventDefault();
          focusCell(at.rows, at.r + 1, at.c);
        } else if (event.key === "ArrowUp" && input.tagName !== "SELECT") {
          event.preventDefault();
          focusCell(at.rows, at.r - 1, at.c);
        } else if (textual && event.key === "F2") {
          input.dataset.mode = "edit";
        } else if (textual && event.key === "ArrowRight" &&
                   (input.dataset.mode !== "edit" || input.selectionStart === input.value.length)) {
          event.preventDefault();
          focusCell(at.rows, at.r, at.c + 1);
        } else if (textual && event.key === "ArrowLeft" &&
                   (input.dataset.mode !== "edit" || input.selectionEnd === 0)) {
          event.preventDefault();
          focusCell(at.rows, at.r, at.c - 1);
        }
      });
      /* Like Excel: a cell reached with the keyboard is in "enter" mode, where the arrow
         keys move to the next cell; clicking into it or F2 switches to "edit" mode, where
         they move the caret until it reaches the edge of the text. */
      table.addEventListener("focusin", function (event) {
        event.target.dataset.mode = "enter";
      });
      table.addEventListener("click", function (event) {
        if (event.target.matches("input")) { event.target.dataset.mode = "edit"; }
      });
      table.addEventListener("paste", function (event) {
        var input = event.target;
        var text = (event.clipboardData || window.clipboardData).getData("text");
        if (!text || (text.indexOf("\t") === -1 && text.indexOf("\n") === -1)) { return; }
        var at = position(table, input);
        if (!at) { return; }
        event.preventDefault();
        text.replace(/\r/g, "").replace(/\n$/, "").split("\n").forEach(function (line, dr) {
          line.split("\t").forEach(function (value, dc) {
            var row = at.rows[at.r + dr];
            var cell = row && row[at.c + dc];
            if (cell && cell.tagName === "INPUT" && cell.type !== "checkbox" && cell.type !== "file") {
              cell.value = value.trim();
            } else if (cell && cell.tagName === "SELECT") {
              var wanted = value.trim().toLowerCase();
              Array.prototype.forEach.call(cell.options, function (option) {
                if (option.text.toLowerCase() === wanted || option.value === wanted) { cell.value = option.value; }
              });
            }
          });
        });
      });
    });
  }

  function init(root) {
    initGrids(root);
    initSearchable(root);
    initDates(root);
    initDateTimes(root);
    initConfirm(root);
    initAutosubmit(root);
  }

  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:load", function (event) { init(event.target); });
})();
