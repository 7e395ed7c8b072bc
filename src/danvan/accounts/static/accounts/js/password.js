// Password fields: a "Show" button (ASVS 2.1.12) and a strength meter (ASVS 2.1.8).
// The markup comes from accounts/includes/password_field.html with its words already
// translated in data attributes; both controls stay hidden when scripts do not run.
// The meter mirrors the server's validators (minimum length, the common-password list of
// common-passwords.js, not only digits), then grades what they accept by length and variety.
// The server decides; the meter only tells in advance.
(function () {
  "use strict";

  var COMMON = new Set(window.danvanCommonPasswords || []);

  function characters(text) {
    return Array.from(text); // code points, as Python counts them
  }

  function kindsOf(chars) {
    var kinds = { lower: false, upper: false, digit: false, other: false };
    chars.forEach(function (c) {
      if (/\p{Ll}/u.test(c)) kinds.lower = true;
      else if (/\p{Lu}|\p{Lt}|\p{Lo}/u.test(c)) kinds.upper = true;
      else if (/\p{Nd}/u.test(c)) kinds.digit = true;
      else kinds.other = true;
    });
    return Object.values(kinds).filter(Boolean).length;
  }

  // Return [value 0–4, name of the data attribute holding the words].
  function assess(password, minLength) {
    var chars = characters(password);
    if (chars.length === 0) return [0, ""];
    if (chars.length < minLength) return [1, "tooShort"];
    if (/^\p{Nd}+$/u.test(password)) return [1, "onlyDigits"];
    if (COMMON.has(password.trim().toLowerCase())) return [1, "tooCommon"];
    if (new Set(chars).size < 6) return [1, "repetitive"];
    var kinds = kindsOf(chars);
    if ((chars.length >= 20 && kinds >= 2) || (chars.length >= 16 && kinds >= 3)) {
      return [4, "strong"];
    }
    if (chars.length >= 16 || kinds >= 3) return [3, "good"];
    return [2, "fair"];
  }

  function setUpToggle(button) {
    var input = document.getElementById(button.dataset.passwordToggle);
    if (!input) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      var show = input.type === "password";
      input.type = show ? "text" : "password";
      button.textContent = show ? button.dataset.hideText : button.dataset.showText;
      button.setAttribute("aria-label", show ? button.dataset.hideLabel : button.dataset.showLabel);
      input.focus();
    });
    // A password shown on screen is hidden again before the form leaves the page.
    if (input.form) {
      input.form.addEventListener("submit", function () {
        input.type = "password";
      });
    }
  }

  function setUpMeter(box) {
    var input = document.getElementById(box.dataset.passwordMeter);
    if (!input) return;
    var meter = box.querySelector("meter");
    var verdict = box.querySelector(".password-verdict");
    var minLength = parseInt(box.dataset.minLength, 10) || 0;
    box.hidden = false;
    function update() {
      var result = assess(input.value, minLength);
      meter.value = result[0];
      verdict.textContent = result[1] ? box.dataset[result[1]] : "";
      box.dataset.level = String(result[0]);
    }
    input.addEventListener("input", update);
    update();
  }

  // Exposed for the tests, which check the grading against the server's rules.
  window.danvanPasswordStrength = assess;

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-password-toggle]").forEach(setUpToggle);
    document.querySelectorAll("[data-password-meter]").forEach(setUpMeter);
  });
})();
