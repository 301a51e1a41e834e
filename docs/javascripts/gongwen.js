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
  // A printed page says where it came from and when: its address and today's date at the foot of
  // every page (a CSS @page margin box; the stylesheet's fallback names the archive).
  function printFooter() {
    var style = document.getElementById("gw-print-page");
    if (!style) {
      style = document.createElement("style");
      style.id = "gw-print-page";
      document.head.appendChild(style);
    }
    var now = new Date();
    var address = window.location.href.split("#")[0].split("?")[0];
    var text = (address + "　打印于" + now.getFullYear() + "年" + (now.getMonth() + 1) + "月" + now.getDate() + "日")
      .replace(/\\/g, "\\\\").replace(/"/g, '\\"');
    style.textContent = '@media print { @page { @bottom-left { content: "' + text + '"; } } }';
  }
  window.addEventListener("beforeprint", printFooter);
  // Citations name the page's full address and the day it was read (scripts/gongwen/browse/cite.py).
  function today() {
    var now = new Date();
    return now.getFullYear() + "-" + String(now.getMonth() + 1).padStart(2, "0") + "-" + String(now.getDate()).padStart(2, "0");
  }
  function fillCitations() {
    var address = new URL(".", window.location.href).href;
    document.querySelectorAll("[data-cite-template]").forEach(function (element) {
      var template = element.dataset.citeTemplate;
      var isRis = element.getAttribute("download") && /\.ris$/.test(element.getAttribute("download"));
      var accessed = isRis ? today().replace(/-/g, "/") : today();
      var text = template.split("{{url}}").join(address).split("{{accessed}}").join(accessed);
      if (element.tagName === "A") {
        element.href = "data:text/plain;charset=utf-8," + encodeURIComponent(text);
      } else {
        element.textContent = text;
      }
    });
  }
  // A heading's ¶ anchor stays for the mouse, but is no tab stop: a keyboard user would otherwise meet one
  // before every heading (the table of contents links the same places).
  function quietAnchors() {
    document.querySelectorAll(".md-typeset .headerlink").forEach(function (a) { a.setAttribute("tabindex", "-1"); });
  }
  function setUp() {
    quietAnchors();
    scrollableTables();
    printFooter();
    fillCitations();
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
