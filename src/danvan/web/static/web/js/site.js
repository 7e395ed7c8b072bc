// Layout behaviour shared by every page. No inline scripts anywhere: this file is the place.
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  document.addEventListener("DOMContentLoaded", function () {
    // The language switch submits as soon as a language is picked (the button is the fallback).
    var select = document.getElementById("language-select");
    if (select) {
      select.addEventListener("change", function () {
        select.form.submit();
      });
    }
  });
})();
