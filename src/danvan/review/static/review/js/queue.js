// The queue's "choose every row" box: ticks or clears the row boxes of this page.
document.addEventListener("change", (event) => {
  const all = event.target.closest("[data-choose-all]");
  if (!all) return;
  for (const box of document.querySelectorAll("input.row-choice")) box.checked = all.checked;
});
