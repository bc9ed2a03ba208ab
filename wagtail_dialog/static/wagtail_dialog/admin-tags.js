// Wagtail's tag field (tag-it) replaces the labelled input with a new, unlabelled
// one: screen readers announce it as an unnamed text field. Point the new input at
// the original field's label. Runs whenever tag-it has added its list.
(function () {
  'use strict';

  function labelTagInputs(root) {
    root.querySelectorAll('ul.tagit').forEach(function (list) {
      var original = list.previousElementSibling;
      var input = list.querySelector('li.tagit-new input');
      if (!original || !original.id || !input || input.hasAttribute('aria-labelledby')) return;
      var label = document.querySelector('label[for="' + original.id + '"]');
      if (!label) return;
      if (!label.id) label.id = original.id + '-label';
      input.setAttribute('aria-labelledby', label.id);
      var help = original.getAttribute('aria-describedby');
      if (help) input.setAttribute('aria-describedby', help);
    });
  }

  function start() {
    labelTagInputs(document);
    new MutationObserver(function () { labelTagInputs(document); })
      .observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
