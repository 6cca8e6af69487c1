import 'server-only';
import crypto from 'node:crypto';

// The provider's own error page (its renderError): shown when a request cannot be sent back to the
// app — an unknown app, a redirect address the app never registered. Plain words first; the protocol
// error after, for whoever helps the person.

function escapeHtml(value: string): string {
  return value.replace(
    /[&<>"']/g,
    (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char]!,
  );
}

export function errorPage(out: { error?: string; error_description?: string }): string {
  const nonce = crypto.randomBytes(16).toString('base64');
  const detail = [out.error, out.error_description].filter(Boolean).join(': ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'nonce-${nonce}'; base-uri 'none'; form-action 'none'">
<title>Sign-in problem · Firstkey</title>
<style nonce="${nonce}">body{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1.5rem;color:#0f172a;line-height:1.5}code{background:#f1f5f9;padding:.1rem .3rem;border-radius:.25rem}</style>
</head>
<body>
<main>
<h1>This sign-in can\u2019t continue</h1>
<p>The app that sent you here asked Firstkey for something it is not registered for. Nothing was shared with it. Go back to the app and try again; if this keeps happening, tell IT and include the line below.</p>
<p><code>${escapeHtml(detail)}</code></p>
</main>
</body>
</html>`;
}
