import type { FastifyPluginAsync } from 'fastify';

/**
 * The page a one-time setup link opens (`/setup#token=…&clinic=…`): a new clinic admin or staff
 * member chooses their password. The token stays in the URL fragment (never sent to the server in
 * a request line or logged) and is posted once to `/v1/staff/setup-password`. No inline script or
 * style, so the page runs under a strict CSP.
 */
const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>Set your ClinicDesk password</title>
<link rel="stylesheet" href="/setup/setup.css">
<script src="/setup/setup.js" defer></script>
</head>
<body>
<main>
  <h1>Set your ClinicDesk password</h1>
  <p id="intro">Choose a password of at least 10 characters. This link works once.</p>
  <form id="form" novalidate>
    <label for="password">New password</label>
    <input id="password" type="password" autocomplete="new-password" minlength="10" required>
    <label for="confirm">Type it again</label>
    <input id="confirm" type="password" autocomplete="new-password" minlength="10" required>
    <button type="submit">Set password</button>
  </form>
  <p id="message" role="status" aria-live="polite"></p>
</main>
</body>
</html>`;

const SCRIPT = `'use strict';
(function () {
  var params = new URLSearchParams(location.hash.slice(1));
  var token = params.get('token');
  var clinic = params.get('clinic');
  history.replaceState(null, '', location.pathname);
  var form = document.getElementById('form');
  var message = document.getElementById('message');
  if (!token || !clinic) {
    form.hidden = true;
    message.textContent = 'This link is incomplete. Ask your administrator for a new one.';
    return;
  }
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var password = document.getElementById('password').value;
    var confirm = document.getElementById('confirm').value;
    if (password !== confirm) { message.textContent = 'The two passwords differ.'; return; }
    message.textContent = 'Saving…';
    fetch('/v1/staff/setup-password', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ clinicSlug: clinic, token: token, newPassword: password })
    }).then(function (res) {
      return res.json().then(function (body) { return { ok: res.ok, body: body }; });
    }).then(function (r) {
      if (r.ok) {
        form.hidden = true;
        message.textContent = 'Password set for ' + r.body.username + ' at clinic ' + r.body.clinicSlug + '. You can sign in now.';
      } else {
        message.textContent = (r.body && r.body.error && r.body.error.message) || 'That did not work. Ask for a new link.';
      }
    }).catch(function () { message.textContent = 'Cannot reach the server. Try again.'; });
  });
})();
`;

const STYLE = `body{font-family:system-ui,"Noto Sans",sans-serif;background:#f4f6f8;color:#1c2530;margin:0}
main{max-width:26rem;margin:4rem auto;background:#fff;padding:2rem;border-radius:.75rem;box-shadow:0 1px 4px #0002}
h1{font-size:1.4rem;margin-top:0}label{display:block;margin-top:1rem;font-weight:600}
input{width:100%;box-sizing:border-box;padding:.6rem;margin-top:.3rem;border:1px solid #8a96a3;border-radius:.4rem;font-size:1rem}
input:focus,button:focus{outline:3px solid #1a73e8;outline-offset:2px}
button{margin-top:1.5rem;padding:.7rem 1.2rem;border:0;border-radius:.4rem;background:#0b5cad;color:#fff;font-size:1rem;cursor:pointer}
#message{margin-top:1rem;min-height:1.5rem}`;

export const setupPageRoutes: FastifyPluginAsync = async (app) => {
  const headers = {
    'content-security-policy': CSP,
    'x-content-type-options': 'nosniff',
    'cache-control': 'no-store',
  };
  // When to use: the one-time link from a clinic admin's or a super admin's "reset access".
  app.get('/setup', { schema: { hide: true } }, async (_request, reply) =>
    reply.headers(headers).type('text/html; charset=utf-8').send(PAGE),
  );
  app.get('/setup/setup.js', { schema: { hide: true } }, async (_request, reply) =>
    reply.headers(headers).type('text/javascript; charset=utf-8').send(SCRIPT),
  );
  app.get('/setup/setup.css', { schema: { hide: true } }, async (_request, reply) =>
    reply.headers(headers).type('text/css; charset=utf-8').send(STYLE),
  );
};
