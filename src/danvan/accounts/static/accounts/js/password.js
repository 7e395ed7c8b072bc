// Password fields: a "Show" button (ASVS 2.1.12) and a strength meter (ASVS 2.1.8).
// The markup comes from accounts/includes/password_field.html with its words already
// translated in data attributes; both controls stay hidden when scripts do not run.
// The meter mirrors the server's validators (minimum length, the common-password list of
// common-passwords.js, not only digits, no repeats, sequences or keyboard runs), then grades
// what they accept by length and variety.
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

  // Rows of the keyboard, and its columns (1qaz…), for runs such as "qwerty" or "asdf".
  var KEYBOARD = [
    "`1234567890-=", "qwertyuiop[]\\", "asdfghjkl;'", "zxcvbnm,./",
    "1qaz", "2wsx", "3edc", "4rfv", "5tgb", "6yhn", "7ujm", "8ik,", "9ol.", "0p;/",
  ];

  // Whether b follows a in a pattern: the same character, the next or previous code point,
  // or the next or previous key.
  function step(a, b, direction) {
    if (direction === "same") return a === b;
    var delta = direction === "up" ? 1 : -1;
    if (b.codePointAt(0) - a.codePointAt(0) === delta) return true;
    return KEYBOARD.some(function (row) {
      var i = row.indexOf(a);
      return i >= 0 && row.charAt(i + delta) === b;
    });
  }

  // Length of the longest repeat, sequence or keyboard run starting at chars[start].
  function runAt(chars, start) {
    var best = 1;
    ["same", "up", "down"].forEach(function (direction) {
      var end = start + 1;
      while (end < chars.length && step(chars[end - 1], chars[end], direction)) end += 1;
      best = Math.max(best, end - start);
    });
    return best;
  }

  // Mirrors the patterns the server's guessing estimate (zxcvbn) finds first: a block said
  // again and again ("abcabcabcabc"), or hardly anything outside repeats, sequences ("abcdef",
  // "987654") and keyboard runs ("qwertyuiop").
  function guessable(chars) {
    var lower = chars.map(function (c) { return c.toLowerCase(); });
    var n = lower.length;
    for (var size = 1; size <= n / 2; size += 1) {
      if (n % size) continue;
      var block = lower.slice(0, size).join("");
      if (block.repeat(n / size) === lower.join("")) return true;
    }
    var outside = 0;
    for (var i = 0; i < n; ) {
      var run = runAt(lower, i);
      if (run >= 3) i += run;
      else { outside += 1; i += 1; }
    }
    return outside < 4;
  }

  // Return [value 0–4, name of the data attribute holding the words].
  function assess(password, minLength) {
    var chars = characters(password);
    if (chars.length === 0) return [0, ""];
    if (chars.length < minLength) return [1, "tooShort"];
    if (/^\p{Nd}+$/u.test(password)) return [1, "onlyDigits"];
    if (COMMON.has(password.trim().toLowerCase())) return [1, "tooCommon"];
    if (new Set(chars).size < 6) return [1, "repetitive"];
    if (guessable(chars)) return [1, "guessable"];
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
