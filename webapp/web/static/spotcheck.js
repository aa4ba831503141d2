// Spotcheck's one script: progressive enhancement of server-rendered pages.
// Marking pages work without it (see the checkbox form); with it, each paragraph becomes an
// ARIA listbox (one tab stop), words or sentences become options toggled by click, Space or
// Enter, and marks are autosaved as a draft.
"use strict";

(function () {
  var ASTRAL = /[\uD800-\uDFFF]/;
  // Offsets on the server count code points; JavaScript strings count UTF-16 units.
  function codePoints(text) {
    return ASTRAL.test(text) ? Array.from(text).length : text.length;
  }

  function csrfToken(form) {
    var input = form.querySelector("input[name=csrf_token]");
    return input ? input.value : "";
  }

  function enhanceMarking(form) {
    var unitName = form.dataset.unit;
    var boxes = Array.prototype.slice.call(form.querySelectorAll(".para"));
    var spansInput = form.querySelector("input[name=spans]");
    var counter = document.getElementById("mark-count");
    var saveTimer = null;
    var enhanced = new WeakMap();  // listbox -> {first: its first unit's number, options, spans}

    // Every paragraph is a listbox with its tab stop from the start, but its words become options
    // when the learner reaches it or just after the page loads: making 2,600 words options at once
    // held up a long article's first paint by a fifth of a second on a slow Chromebook. Until then
    // the listbox is aria-busy, being filled.
    boxes.forEach(function (box, boxIndex) {
      box.setAttribute("role", "listbox");
      box.setAttribute("aria-multiselectable", "true");
      box.setAttribute("aria-busy", "true");
      box.setAttribute("aria-label", paragraphName(box, boxIndex));
      box.tabIndex = 0;
    });

    function paragraphName(box, boxIndex) {
      return (box.parentNode.tagName === "H2" ? "Heading" : "Paragraph") + " " + (boxIndex + 1);
    }

    // The words (or sentences) of one paragraph as options, each with its [start, end] in code
    // points (an array, not thousands of data attributes). The server sends the paragraph's text
    // with a span for each marked unit only, and where its units are (data-units, gap and length
    // pairs) and which are marked (data-on): the options are made here, when needed, not parsed
    // with the page.
    function enhance(box) {
      var info = enhanced.get(box);
      if (info) { return info; }
      var host = box.closest("[data-start]");
      var start = parseInt(host.dataset.start, 10);
      var bounds = host.dataset.units ? host.dataset.units.split(",").map(Number) : [];
      var on = host.dataset.on ? host.dataset.on.split(",").map(Number) : [];
      var text = box.textContent;
      // Offsets count code points; with characters beyond the BMP, index the string by them.
      var chars = ASTRAL.test(text) ? Array.from(text) : null;
      function slice(from, to) { return chars ? chars.slice(from, to).join("") : text.slice(from, to); }
      var pieces = document.createDocumentFragment();
      var cursor = 0;
      info = {first: parseInt(host.dataset.unit, 10), options: [], spans: []};
      // data-units: per unit, the gap since the previous unit (or the paragraph's start) and its length.
      for (var i = 0; i < bounds.length; i += 2) {
        var from = cursor + bounds[i], to = from + bounds[i + 1];
        if (from > cursor) { pieces.appendChild(document.createTextNode(slice(cursor, from))); }
        var option = document.createElement("span");
        var marked = on.indexOf(i / 2) >= 0;
        option.textContent = slice(from, to);
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", marked ? "true" : "false");
        if (marked) { option.className = "on"; }
        pieces.appendChild(option);
        info.options.push(option);
        info.spans.push([start + from, start + to]);
        cursor = to;
      }
      var length = chars ? chars.length : text.length;
      if (cursor < length) { pieces.appendChild(document.createTextNode(slice(cursor, length))); }
      box.textContent = "";
      box.appendChild(pieces);
      var count = info.options.length;
      box.setAttribute("aria-label", paragraphName(box, boxes.indexOf(box)) + ", " + count + " " + unitName +
        (count === 1 ? "" : "s") + ". Arrow keys move, Space or Enter marks.");
      box.removeAttribute("aria-busy");
      enhanced.set(box, info);
      return info;
    }

    // The rest, a few paragraphs at a time, so the page answers input meanwhile.
    var waiting = boxes.slice();
    function enhanceSome() {
      var until = Date.now() + 10;
      while (waiting.length && Date.now() < until) { enhance(waiting.shift()); }
      if (waiting.length) { setTimeout(enhanceSome, 0); }
    }
    setTimeout(enhanceSome, 0);

    function selectedSpans() {
      var spans = [];
      boxes.forEach(function (box) {
        var info = enhance(box);
        info.spans.forEach(function (span, i) { if (info.options[i].classList.contains("on")) { spans.push(span); } });
      });
      return spans;
    }

    function showMarks() {
      var spans = selectedSpans();
      spansInput.value = JSON.stringify(spans);
      counter.textContent = spans.length + " marked";
    }

    function changed() {
      showMarks();
      if (form.dataset.autosave) {
        clearTimeout(saveTimer);
        saveTimer = setTimeout(save, 300);
      }
    }

    // One save at a time: on a slow network two PUTs in flight can arrive out of order, and the
    // older one would overwrite the newer marks. Changes made meanwhile go in the next save.
    var saving = false;
    var unsaved = false;

    function save() {
      if (saving) { unsaved = true; return; }
      saving = true;
      unsaved = false;
      var spans = selectedSpans();
      fetch(form.dataset.autosave, {
        method: "PUT", credentials: "same-origin",
        headers: {"Content-Type": "application/json", "X-CSRFToken": csrfToken(form)},
        body: JSON.stringify({spans: spans})
      }).then(function (response) { return response.ok; }, function () { return false; })
        .then(function (ok) {
          saving = false;
          if (unsaved) { save(); return; }
          counter.textContent = spans.length + " marked" + (ok ? ", saved" : ", not saved: check your connection");
        });
    }

    function toggle(option) {
      var on = !option.classList.contains("on");
      option.classList.toggle("on", on);
      option.setAttribute("aria-selected", on ? "true" : "false");
      changed();
    }

    function activate(box, option) {
      var previous = box.querySelector(".active");
      var info = enhance(box);
      if (previous) { previous.classList.remove("active"); }
      option.classList.add("active");
      if (!option.id) { option.id = "u" + (info.first + info.options.indexOf(option)); }  // ids only where the keyboard goes
      box.setAttribute("aria-activedescendant", option.id);
      option.scrollIntoView({block: "nearest"});
    }

    form.addEventListener("click", function (event) {
      var box = event.target.closest ? event.target.closest("[role=listbox]") : null;
      if (!box) { return; }
      // A paragraph not yet made options is made now (by this click, or by the focus its press
      // gave the paragraph), so the click lands on the paragraph: the word under the pointer is
      // then the new option there (the text does not move: options add no space around words).
      enhance(box);
      var option = event.target.closest("[role=option]");
      if (!option && event.detail) {
        var under = document.elementFromPoint(event.clientX, event.clientY);
        option = under && under.closest("[role=option]");
      }
      if (!option || !box.contains(option)) { return; }
      toggle(option);
      activate(box, option);
    });

    form.addEventListener("focusin", function (event) {
      var box = event.target;
      if (box.getAttribute && box.getAttribute("role") === "listbox" && !box.querySelector(".active")) {
        var first = enhance(box).options[0];
        if (first) { activate(box, first); }
      }
    });

    // Where each sentence starts, as unit numbers (word marking only): Page Up and Page Down jump
    // sentence by sentence, so reaching a hedge halfway down a long paragraph takes a few keys.
    var sentenceStarts = JSON.parse(form.dataset.sentences || "[]");

    function lineOf(option) { return Math.round(option.getBoundingClientRect().top); }

    // The option on the line above or below (`step` -1 or 1) nearest to `current` horizontally.
    function onNextLine(list, index, step) {
      var here = lineOf(list[index]), x = list[index].getBoundingClientRect().left, best = index, line = null;
      for (var i = index + step; i >= 0 && i < list.length; i += step) {
        var top = lineOf(list[i]);
        if (top === here) { continue; }
        if (line === null) { line = top; }
        if (top !== line) { break; }
        if (best === index || Math.abs(list[i].getBoundingClientRect().left - x) <
            Math.abs(list[best].getBoundingClientRect().left - x)) { best = i; }
      }
      return best;
    }

    function lineEnd(list, index, step) {
      var here = lineOf(list[index]);
      while (index + step >= 0 && index + step < list.length && lineOf(list[index + step]) === here) { index += step; }
      return index;
    }

    // Within a paragraph whose first unit is number `first`; a jump out of it stops at its end.
    function sentenceJump(first, list, index, step) {
      var unit = first + index, target = null;
      sentenceStarts.forEach(function (start) {
        if (step > 0 && start > unit && target === null) { target = start; }
        if (step < 0 && start < unit) { target = start; }
      });
      var found = target === null ? -1 : target - first;
      return found < 0 || found >= list.length ? (step > 0 ? list.length - 1 : 0) : found;
    }

    form.addEventListener("keydown", function (event) {
      var box = event.target;
      if (!box.getAttribute || box.getAttribute("role") !== "listbox") { return; }
      var info = enhance(box);
      var list = info.options;
      var current = box.querySelector(".active");
      var index = Math.max(list.indexOf(current), 0);
      var moves = {ArrowRight: 1, ArrowLeft: -1};
      if (event.key in moves) {
        index = Math.max(0, Math.min(list.length - 1, index + moves[event.key]));
      } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        index = onNextLine(list, index, event.key === "ArrowDown" ? 1 : -1);
      } else if (event.key === "PageDown" || event.key === "PageUp") {
        index = sentenceJump(info.first, list, index, event.key === "PageDown" ? 1 : -1);
      } else if (event.key === "Home") {
        index = event.ctrlKey ? 0 : lineEnd(list, index, -1);
      } else if (event.key === "End") {
        index = event.ctrlKey ? list.length - 1 : lineEnd(list, index, 1);
      } else if ((event.key === " " || event.key === "Enter") && current) {
        event.preventDefault();
        toggle(current);
        return;
      } else {
        return;
      }
      event.preventDefault();
      if (list[index]) { activate(box, list[index]); }
    });

    // Checking with nothing marked still uses an attempt: ask first (the server asks too, without
    // JavaScript).
    form.addEventListener("submit", function (event) {
      var confirmInput = form.querySelector("input[name=confirm_empty]");
      if (selectedSpans().length || !confirmInput) { return; }
      if (window.confirm("You have not marked anything yet. Check anyway? It counts as an attempt.")) {
        confirmInput.value = "1";
      } else {
        event.preventDefault();
      }
    });

    // The server sent these marks and their spans: nothing to save until the learner changes one.
    counter.textContent = form.querySelectorAll(".para .on").length + " marked";
  }

  // Case-study editor (issue #12): add what the assistant missed by selecting it.
  // A selection in the article fills the "Add an item" controls (the sentence it starts in, its
  // words, where it begins), so the teacher presses "Add as …" instead of retyping. The server
  // snaps a claim or filler to whole sentences and drafts the explanation. Without the script the
  // same controls are filled by hand.
  function enhanceCaseStudyEditor(form) {
    var article = form.querySelector(".editor-article");
    var sentenceInput = form.querySelector("[name=add-sentence]");
    var wordsInput = form.querySelector("[name=add-words]");
    var nearInput = form.querySelector("[name=add-near]");
    var status = document.getElementById("selection-status");
    var sentences = article.querySelectorAll("[data-sentence]");

    document.addEventListener("selectionchange", function () {
      var selection = window.getSelection();
      if (!selection.rangeCount || selection.isCollapsed) { return; }
      var range = selection.getRangeAt(0);
      var text = selection.toString().trim();
      if (!text || !article.contains(range.commonAncestorContainer)) { return; }
      // The first sentence the selection reaches (it may begin in the space between two).
      var first = Array.prototype.find.call(sentences, function (span) { return range.intersectsNode(span); });
      if (!first) { return; }
      var near = parseInt(first.dataset.start, 10);
      if (first.contains(range.startContainer) && range.startContainer.nodeType === Node.TEXT_NODE) {
        near += codePoints(range.startContainer.data.slice(0, range.startOffset));
      }
      sentenceInput.value = first.dataset.sentence;
      wordsInput.value = text;
      nearInput.value = String(near);
      status.textContent = "Selected “" + (text.length > 60 ? text.slice(0, 59) + "…" : text) +
        "” in sentence " + first.dataset.sentence + ". Add it with a button below.";
    });
  }

  // A quiz checked with no option chosen: the same question as for an empty marking.
  var quiz = document.querySelector("form.quiz");
  if (quiz) {
    quiz.addEventListener("submit", function (event) {
      var confirmInput = quiz.querySelector("input[name=confirm_empty]");
      if (quiz.querySelector("input:checked") || !confirmInput) { return; }
      if (window.confirm("You have not chosen any answer yet. Check anyway? It counts as an attempt.")) {
        confirmInput.value = "1";
      } else {
        event.preventDefault();
      }
    });
  }

  var marking = document.getElementById("marking");
  if (marking) { enhanceMarking(marking); }
  var editor = document.querySelector("form[data-case-study-editor]");
  if (editor) { enhanceCaseStudyEditor(editor); }
  var status = document.getElementById("result-status");
  if (status) { status.focus(); }
})();

// Instructor dashboard: while a class works, refresh the progress table every few seconds from
// the JSON endpoint named by data-poll (the same server-rendered table, so sorting and escaping
// stay on the server). Paused while the tab is hidden; a failed request just waits for the next.
(function () {
  var POLL_MS = 5000;
  var table = document.getElementById("progress");
  var status = document.getElementById("progress-status");
  if (!table || !table.dataset.poll) { return; }
  var last = null;

  function refresh() {
    if (document.hidden) { setTimeout(refresh, POLL_MS); return; }
    fetch(table.dataset.poll, {credentials: "same-origin", headers: {Accept: "application/json"}})
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (data && data.html !== last) {
          table.innerHTML = data.html;
          last = data.html;
        }
        if (data && status) { status.textContent = "Updated " + new Date().toLocaleTimeString() + "."; }
      }, function () {
        if (status) { status.textContent = "Could not refresh: check your connection."; }
      })
      .then(function () { setTimeout(refresh, POLL_MS); });
  }

  setTimeout(refresh, POLL_MS);
})();

// ==== Teacher pages (issue #12): times in the teacher's own time zone. ====
// The server writes <time datetime="2026-12-02T09:15:00..."> with a UTC fallback text; this shows
// each one with toLocaleString, again whenever the dashboard's refresh replaces the table.
(function () {
  function localTimes(root) {
    root.querySelectorAll("time[datetime]").forEach(function (element) {
      var value = element.getAttribute("datetime");
      var when = new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : value + "Z");
      if (isNaN(when.getTime())) { return; }
      var text = when.toLocaleString(undefined, {dateStyle: "short", timeStyle: "short"});
      if (element.textContent !== text) { element.textContent = text; }
      element.title = when.toString();
    });
  }
  localTimes(document);
  var table = document.getElementById("progress");
  if (table && window.MutationObserver) {
    new MutationObserver(function () { localTimes(table); }).observe(table, {childList: true});
  }
})();
