// The desk's own few lines: messages from the check placed at their fields, focus after a change,
// and no accidental submit of the meeting form with Enter (it saves by itself).
(function () {
  "use strict";

  function boxFor(loc) {
    // the field the problem names, or the nearest enclosing part of the form that exists
    var steps = loc ? loc.split(".") : [];
    while (steps.length) {
      var found = document.querySelector('#meeting-form [data-loc="' + CSS.escape(steps.join(".")) + '"]');
      if (found) return found;
      steps.pop();
    }
    return null;
  }

  function placeProblems() {
    var form = document.getElementById("meeting-form");
    if (!form) return;
    form.querySelectorAll(".meddelanden").forEach(function (el) { el.remove(); });
    form.querySelectorAll("[aria-invalid]").forEach(function (el) {
      el.removeAttribute("aria-invalid");
      var ids = (el.getAttribute("aria-describedby") || "").split(" ").filter(function (id) { return id && id.indexOf("m-") !== 0; });
      if (ids.length) el.setAttribute("aria-describedby", ids.join(" ")); else el.removeAttribute("aria-describedby");
    });
    var n = 0;
    document.querySelectorAll("#problem-list li").forEach(function (li) {
      var box = boxFor(li.dataset.loc || "");
      if (!box) return;
      var folded = box.closest("details");
      if (folded) folded.open = true;
      var list = box.querySelector(":scope > .meddelanden");
      if (!list) {
        list = document.createElement("div");
        list.className = "meddelanden";
        list.id = "m-" + (n++);
        var legend = box.querySelector(":scope > legend");
        var label = box.querySelector(":scope > label");
        var after = box.querySelector(":scope > input, :scope > textarea, :scope > select");
        if (after) after.insertAdjacentElement("afterend", list);
        else if (legend) legend.insertAdjacentElement("afterend", list);
        else if (label) label.insertAdjacentElement("afterend", list);
        else box.prepend(list);
      }
      var p = document.createElement("p");
      p.className = li.classList.contains("varning") ? "varning-text" : "fel-text";
      p.textContent = (li.classList.contains("varning") ? "Varning: " : "Fel: ") + li.querySelector(".text").textContent;
      list.appendChild(p);
      var input = box.querySelector(":scope > input, :scope > textarea, :scope > select");
      if (input) {
        if (!li.classList.contains("varning")) input.setAttribute("aria-invalid", "true");
        var ids = (input.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
        if (ids.indexOf(list.id) < 0) ids.push(list.id);
        input.setAttribute("aria-describedby", ids.join(" "));
      }
      // the summary line becomes a link to the field
      var where = li.querySelector(".var");
      if (where && input && !where.querySelector("a")) {
        var a = document.createElement("a");
        a.href = "#" + input.id;
        a.textContent = where.textContent;
        a.addEventListener("click", function (e) { e.preventDefault(); input.focus(); });
        where.textContent = "";
        where.appendChild(a);
      }
    });
  }

  function focusAfterChange() {
    var form = document.getElementById("meeting-form");
    var want = form && form.dataset.focus;
    if (!want) return;
    form.dataset.focus = "";
    var el = document.getElementById(want);
    if (!el && want.indexOf("f-") === 0) {
      var box = boxFor(want.slice(2));
      el = box && box.querySelector("input:not([type=hidden]), textarea, select");
    }
    if (!el && want.indexOf("b-") === 0) {
      var alt = want.replace(/^b-(up|down|to)-/, "b-del-");
      el = document.getElementById(alt);
    }
    if (el) { el.focus(); if (el.scrollIntoView) el.scrollIntoView({block: "nearest"}); }
  }

  document.addEventListener("submit", function (e) {
    if (e.target && e.target.id === "meeting-form") e.preventDefault();
  });
  document.addEventListener("htmx:afterSettle", function () { placeProblems(); focusAfterChange(); });
  document.addEventListener("DOMContentLoaded", placeProblems);
})();
