// Report pages: show the permanent link as a full URL and make the copy buttons work.
// Nothing here is needed to read a report; without JavaScript the field shows the site-relative path.
// Every page: a table wider than the screen scrolls; it gets a tab stop and a name, so that a
// keyboard user can scroll it too.
(function () {
  function scrollableTables() {
    document.querySelectorAll(".md-typeset__scrollwrap, .gw-table").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth + 1 && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", "表格（可左右滚动）");
      }
    });
  }
  function setUp() {
    scrollableTables();
    document.querySelectorAll("[data-permalink]").forEach(function (input) {
      input.value = new URL(".", window.location.href).href;
    });
    document.querySelectorAll("button[data-copy]").forEach(function (button) {
      if (button.dataset.ready) return;
      button.dataset.ready = "1";
      button.addEventListener("click", function () {
        var source = document.getElementById(button.dataset.copy);
        var text = source.value !== undefined ? source.value : source.textContent;
        var done = function () { button.textContent = "已复制"; };
        var fallback = function () {
          if (source.select) { source.select(); } else {
            var range = document.createRange(); range.selectNodeContents(source);
            window.getSelection().removeAllRanges(); window.getSelection().addRange(range);
          }
          var copied = false;
          try { copied = document.execCommand("copy"); } catch (e) { copied = false; }
          button.textContent = copied ? "已复制" : "已选中，请按 Ctrl+C 复制";
        };
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(text).then(done, fallback);
        } else {
          fallback();
        }
      });
    });
  }
  if (window.document$) { window.document$.subscribe(setUp); } else { document.addEventListener("DOMContentLoaded", setUp); }
})();
