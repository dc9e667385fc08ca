// Sortable tables: a click on a column header (a button, so the keyboard works too) sorts
// the table's rows by that column; a cell's data-sort (a plain number) sorts it when given,
// otherwise numbers in Danish format sort as numbers.
document.addEventListener("DOMContentLoaded", () => {
  for (const table of document.querySelectorAll("table.sortable")) {
    const heads = table.querySelectorAll("thead th");
    heads.forEach((th, index) => {
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = th.textContent;
      th.textContent = "";
      th.appendChild(button);
      th.setAttribute("aria-sort", "none");
      button.addEventListener("click", () => {
        const ascending = th.getAttribute("aria-sort") !== "ascending";
        heads.forEach((h) => h.setAttribute("aria-sort", "none"));
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        const body = table.tBodies[0];
        const key = (row) => {
          const cell = row.cells[index];
          if (cell.dataset.sort) return parseFloat(cell.dataset.sort);
          const text = cell.textContent.trim();
          const number = parseFloat(text.replace(/\./g, "").replace(",", ".").replace(/[^0-9.-]/g, ""));
          return Number.isNaN(number) ? text.toLowerCase() : number;
        };
        const rows = Array.from(body.rows).sort((a, b) => {
          const x = key(a), y = key(b);
          return (x > y ? 1 : x < y ? -1 : 0) * (ascending ? 1 : -1);
        });
        rows.forEach((row) => body.appendChild(row));
      });
    });
  }
});
