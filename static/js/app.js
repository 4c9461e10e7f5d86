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
      var label = el.labels && el.labels[0];
      new TomSelect(el, {
        plugins: multiple ? ["remove_button", "clear_button"] : ["clear_button"],
        maxOptions: 500,
        /* Every option is already in the page: filter on each keystroke. Tom Select's
           default waits 300 ms, and a list left within that time reopened afterwards and
           took the focus back from the next field (with the keystrokes typed there). */
        refreshThrottle: 0,
        allowEmptyOption: !multiple,
        hidePlaceholder: true,
        placeholder: multiple ? gettext("Type to search and add…") : gettext("Type to search…"),
        render: {
          no_results: function () {
            return '<div class="no-results">' + gettext("No matching entries") + "</div>";
          }
        }
      });
      /* Tom Select moves the label to its own text box; the original list, still read by
         screen readers, keeps its name through the label's id. */
      if (label) {
        if (!label.id) { label.id = el.id + "-label"; }
        el.setAttribute("aria-labelledby", label.id);
      }
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

  // A button that prints the page (the ballot slips, printed straight from the browser).
  function initPrint(root) {
    root.querySelectorAll("[data-print]:not([data-print-bound])").forEach(function (button) {
      button.dataset.printBound = "1";
      button.addEventListener("click", function () { window.print(); });
    });
  }

  function initAutosubmit(root) {
    root.querySelectorAll("form.js-autosubmit select:not([data-autosubmit-bound])").forEach(function (el) {
      el.dataset.autosubmitBound = "1";
      el.addEventListener("change", function () { el.form.requestSubmit(); });
    });
  }

  /* Spreadsheet grids. The arrow keys move between cells of every kind (text, number,
     select, checkbox, file) and never change a value on the way: a list's value changes
     with Space or Alt+↓ (which open it) or by typing, a checkbox's with Space. Enter and
     Shift+Enter move down and up. A block copied from Excel is pasted across cells, and
     Ctrl+S saves (see below). */
  function isCell(el) {
    return !el.disabled && el.type !== "hidden" && el.tabIndex !== -1 && el.getClientRects().length > 0;
  }

  function gridCells(table) {
    return Array.prototype.map.call(table.tBodies[0].rows, function (row) {
      return Array.prototype.filter.call(row.querySelectorAll("input, select, textarea"), isCell);
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
    if (r < 0 || r >= rows.length || c < 0) { return; }
    var cell = rows[r][Math.min(c, rows[r].length - 1)];
    if (cell) {
      cell.focus();
      if (cell.select && hasCaret(cell)) { cell.select(); }
    }
  }

  /* Text fields and text areas have a caret the arrow keys can move in "edit" mode. */
  function hasCaret(el) {
    return el.tagName === "TEXTAREA" ||
      (el.tagName === "INPUT" && ["checkbox", "radio", "file", "button", "submit"].indexOf(el.type) === -1);
  }

  function caretAtStart(el) {
    return el.selectionStart === null || el.selectionStart === undefined ||
      (el.selectionStart === 0 && el.selectionEnd === 0);
  }

  function caretAtEnd(el) {
    return el.selectionStart === null || el.selectionStart === undefined ||
      el.selectionEnd === el.value.length;
  }

  /* The cell a key moves to, as [rows, columns], or null when the key stays in the cell. */
  function moveFor(event, input) {
    var caret = hasCaret(input);
    var editing = caret && input.dataset.mode === "edit";
    switch (event.key) {
      case "Enter":
        if (input.tagName === "TEXTAREA" || input.type === "file") { return null; }
        return [event.shiftKey ? -1 : 1, 0];
      case "ArrowDown":
        if (event.shiftKey || (editing && input.tagName === "TEXTAREA" && !caretAtEnd(input))) { return null; }
        return [1, 0];
      case "ArrowUp":
        if (event.shiftKey || (editing && input.tagName === "TEXTAREA" && !caretAtStart(input))) { return null; }
        return [-1, 0];
      case "ArrowRight":
        if (event.shiftKey || (editing && !caretAtEnd(input))) { return null; }
        return [0, 1];
      case "ArrowLeft":
        if (event.shiftKey || (editing && !caretAtStart(input))) { return null; }
        return [0, -1];
      default:
        return null;
    }
  }

  /* A focused cell is kept in view beside the sticky first column and below the sticky
     header row, and above the save bar: the browser alone would leave it under them. */
  function keepVisible(cell) {
    var box = cell.closest(".grid-wrapper, .table-responsive");
    var td = cell.closest("td, th");
    if (!box || !td) { return; }
    var boxRect = box.getBoundingClientRect();
    var rect = td.getBoundingClientRect();
    var sticky = td.parentElement.querySelector(".sticky-col");
    var left = sticky && sticky !== td ? sticky.getBoundingClientRect().right : boxRect.left + box.clientLeft;
    var right = boxRect.left + box.clientLeft + box.clientWidth;
    if (rect.left < left) {
      box.scrollLeft -= left - rect.left;
    } else if (rect.right > right) {
      box.scrollLeft += Math.min(rect.right - right, rect.left - left);
    }
    var head = box.querySelector("thead");
    var top = head ? head.getBoundingClientRect().bottom : boxRect.top + box.clientTop;
    var bottom = boxRect.top + box.clientTop + box.clientHeight;
    if (rect.top < top) {
      box.scrollTop -= top - rect.top;
    } else if (rect.bottom > bottom) {
      box.scrollTop += Math.min(rect.bottom - bottom, rect.top - top);
    }
    var bar = document.querySelector(".grid-actions");
    var limit = window.innerHeight - (bar ? bar.offsetHeight : 0);
    rect = td.getBoundingClientRect();
    if (rect.bottom > limit) {
      window.scrollBy(0, rect.bottom - limit);
    } else if (rect.top < 0) {
      window.scrollBy(0, rect.top);
    }
  }

  function initGrids(root) {
    root.querySelectorAll("table.js-grid:not([data-grid-bound])").forEach(function (table) {
      table.dataset.gridBound = "1";
      table.addEventListener("keydown", function (event) {
        var input = event.target;
        if (!input.matches("input, select, textarea")) { return; }
        /* Alt+↓ opens a list; Ctrl and Cmd keep their own meaning (Ctrl+S saves). */
        if (event.altKey || event.ctrlKey || event.metaKey) { return; }
        if (event.key === "F2" && hasCaret(input)) {
          input.dataset.mode = "edit";
          return;
        }
        var move = moveFor(event, input);
        if (!move) { return; }
        var at = position(table, input);
        if (!at) { return; }
        event.preventDefault();
        focusCell(at.rows, at.r + move[0], at.c + move[1]);
      });
      /* Like Excel: a cell reached with the keyboard is in "enter" mode, where the arrow
         keys move to the next cell; clicking into it or F2 switches to "edit" mode, where
         they move the caret until it reaches the edge of the text. */
      table.addEventListener("focusin", function (event) {
        var cell = event.target;
        cell.dataset.mode = "enter";
        keepVisible(cell);
        window.requestAnimationFrame(function () { keepVisible(cell); });
      });
      table.addEventListener("click", function (event) {
        if (event.target.matches("input, textarea") && hasCaret(event.target)) {
          event.target.dataset.mode = "edit";
        }
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
            if (cell && hasCaret(cell)) {
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

  /* Ctrl+S (Cmd+S on a Mac) presses the page's save button, the one that announces the
     shortcut; the focused form's first. */
  document.addEventListener("keydown", function (event) {
    if (!(event.ctrlKey || event.metaKey) || event.altKey) { return; }
    if (event.code !== "KeyS" && (event.key || "").toLowerCase() !== "s") { return; }
    var active = document.activeElement;
    var form = active && (active.form || (active.closest && active.closest("form")));
    var selector = "button[aria-keyshortcuts~='Control+S']";
    var button = (form && form.querySelector(selector)) || document.querySelector(selector);
    if (!button) { return; }
    event.preventDefault();
    button.form.requestSubmit(button);
  });

  /* A tick box in a table's head that ticks (or clears) every box of its column: the
     boxes named by its data-check-all, in the same table. */
  function initCheckAll(root) {
    root.querySelectorAll("input[data-check-all]:not([data-check-all-bound])").forEach(function (box) {
      box.setAttribute("data-check-all-bound", "");
      var table = box.closest("table");
      var boxes = function () {
        return table.querySelectorAll("tbody input[type=checkbox][name='" + box.dataset.checkAll + "']");
      };
      box.addEventListener("change", function () {
        boxes().forEach(function (other) { other.checked = box.checked; });
      });
      table.addEventListener("change", function (event) {
        if (event.target === box || event.target.name !== box.dataset.checkAll) { return; }
        var all = Array.prototype.every.call(boxes(), function (other) { return other.checked; });
        box.checked = all;
      });
    });
  }

  function init(root) {
    initGrids(root);
    initCheckAll(root);
    initSearchable(root);
    initDates(root);
    initDateTimes(root);
    initConfirm(root);
    initAutosubmit(root);
    initPrint(root);
  }

  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:load", function (event) { init(event.target); });
})();
