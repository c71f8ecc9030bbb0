// The search box: Pagefind UI in the element #search, with the index the build wrote in
// pagefind/ beside this file. Every path is found from this script's own address, so the site
// works from any folder (a GitHub Pages project site is served under /<repository>/).
(function () {
  "use strict";
  var script = document.currentScript;
  var box = document.getElementById("search");
  if (!script || !box || typeof PagefindUI === "undefined") {
    return;
  }
  var root = new URL("./", script.src);
  new PagefindUI({
    element: "#search",
    bundlePath: new URL("pagefind/", root).pathname,
    baseUrl: root.pathname,
    showSubResults: true,
    showImages: false,
    resetStyles: false
  });
  // The box itself is the search landmark, named in the page's language from the site's
  // catalogues: the form inside it would be a second landmark, and its input is given the
  // same name, where Pagefind UI gives it only a title.
  var form = box.querySelector("form");
  if (form) {
    form.removeAttribute("role");
    form.removeAttribute("aria-label");
  }
  var input = box.querySelector("input");
  if (input) {
    input.setAttribute("aria-label", box.getAttribute("aria-label"));
  }
  box.classList.add("site-search--ready");
}());
