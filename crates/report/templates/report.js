"use strict";
// Progressive enhancement only: the page is complete without this script.
// Sorting on a column header click, one filter over every table and chain
// (also set from the address: report.html#filter=text).
(function () {
  var root = document.documentElement;
  root.setAttribute("data-js", "on");
  var cellText = function (row, i) {
    var cell = row.cells[i];
    return cell ? cell.textContent.trim() : "";
  };
  var compare = function (a, b) {
    var x = parseFloat(a), y = parseFloat(b);
    if (!isNaN(x) && !isNaN(y) && String(x) === a && String(y) === b) { return x - y; }
    return a.localeCompare(b);
  };
  var sortBy = function (table, th, i) {
    var body = table.tBodies[0];
    if (!body) { return; }
    var dir = th.getAttribute("data-sorted") === "asc" ? "desc" : "asc";
    Array.prototype.forEach.call(th.parentNode.children, function (h) { h.removeAttribute("data-sorted"); });
    th.setAttribute("data-sorted", dir);
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (r1, r2) {
      var c = compare(cellText(r1, i), cellText(r2, i));
      return dir === "asc" ? c : -c;
    });
    rows.forEach(function (r) { body.appendChild(r); });
  };
  Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), function (table) {
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, i) {
      th.setAttribute("tabindex", "0");
      th.addEventListener("click", function () { sortBy(table, th, i); });
      th.addEventListener("keydown", function (e) { if (e.key === "Enter") { sortBy(table, th, i); } });
    });
  });
  var input = document.getElementById("filter");
  var apply = function (text) {
    var needle = text.toLowerCase();
    var items = document.querySelectorAll("table.sortable tbody tr, .filterable");
    Array.prototype.forEach.call(items, function (item) {
      var hit = needle === "" || item.textContent.toLowerCase().indexOf(needle) !== -1;
      item.classList.toggle("hidden-by-filter", !hit);
    });
    root.setAttribute("data-filter", text);
  };
  if (input) {
    input.closest(".filter-box").hidden = false;
    input.addEventListener("input", function () { apply(input.value); });
    var match = /[#&]filter=([^&]*)/.exec(location.hash);
    if (match) {
      // A filter typed into the address ("100%") need not be valid
      // percent-encoding: then it is taken as typed rather than throwing.
      try { input.value = decodeURIComponent(match[1]); } catch (e) { input.value = match[1]; }
      apply(input.value);
    }
  }
  var sort = /[#&]sort=([a-z-]+):(\d+)/.exec(location.hash);
  if (sort) {
    var table = document.querySelector("#rule-" + sort[1] + " table.sortable");
    if (table) {
      var i = parseInt(sort[2], 10);
      sortBy(table, table.tHead.rows[0].cells[i], i);
    }
  }
})();
