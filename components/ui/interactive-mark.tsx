'use client';

import { useEffect } from 'react';

/**
 * Marks the document `data-interactive` once React has hydrated it. Until then a click on a form's
 * button is the browser's own (a plain GET of the same page) and is lost; end-to-end tests wait for
 * the mark after a full-page navigation before they click, as a person waits for the page to settle.
 */
export function InteractiveMark() {
  useEffect(() => {
    document.documentElement.dataset.interactive = '';
  }, []);
  return null;
}
