// statusgraph board: sort by any column; "Contradictions first" puts flagged rows on top.
(function () {
  "use strict";
  var table = document.getElementById("sg-board");
  var tbody = table.tBodies[0];
  var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
  function key(row, col) {
    var cell = row.cells[col];
    if (heads[col].getAttribute("data-sort") === "flag") return Number(cell.getAttribute("data-value") || 0);
    return (cell.textContent || "").trim().toLowerCase();
  }
  function sortBy(col, descending) {
    var rows = Array.prototype.slice.call(tbody.rows);
    rows.forEach(function (r, i) { r._i = i; });
    rows.sort(function (a, b) {
      var x = key(a, col), y = key(b, col);
      var c = x < y ? -1 : x > y ? 1 : a._i - b._i;
      return descending ? -c : c;
    });
    rows.forEach(function (r) { tbody.appendChild(r); });
    heads.forEach(function (h, i) {
      if (i === col) h.setAttribute("aria-sort", descending ? "descending" : "ascending");
      else h.removeAttribute("aria-sort");
    });
  }
  heads.forEach(function (h, i) {
    h.addEventListener("click", function () {
      var desc = h.getAttribute("aria-sort") === "ascending";
      if (h.getAttribute("data-sort") === "flag" && !h.hasAttribute("aria-sort")) desc = true;
      sortBy(i, desc);
    });
  });
  document.getElementById("sg-contradictions-first").addEventListener("click", function () {
    sortBy(0, true);
  });
  window.statusgraphBoard = { sortBy: sortBy, rows: function () { return tbody.rows.length; } };
})();
