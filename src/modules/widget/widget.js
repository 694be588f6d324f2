/*!
 * Epoch Voice click-to-call widget. Paste into your site:
 *   <script src="https://YOUR-EPOCH-VOICE-HOST/widget.js" data-token="ept_…" async></script>
 * Optional attributes:
 *   data-label="Call us"      the button's text
 *   data-position="left"      bottom-left instead of bottom-right
 *   data-sdk="https://…/twilio.min.js"   another copy of the Twilio Voice JS SDK 2.x (by default
 *                             the one served beside this script; none when the page already loads it)
 * Without the Twilio Voice SDK (the sandbox) the widget exchanges its token and says so,
 * but places no audio call.
 */
(function () {
  'use strict';
  var script = document.currentScript;
  if (!script || !script.src || script.getAttribute('data-epoch-mounted')) return;
  script.setAttribute('data-epoch-mounted', '1');

  var embedToken = script.getAttribute('data-token') || '';
  var apiBase = new URL(script.src, location.href).origin;
  var label = script.getAttribute('data-label') || 'Call us';
  /** Our copy of the Twilio Voice SDK (content-hashed path), filled in by the server; '' in the sandbox. */
  var DEFAULT_SDK_PATH = '';
  var sdkUrl = script.getAttribute('data-sdk') || (DEFAULT_SDK_PATH ? new URL(DEFAULT_SDK_PATH, script.src).href : null);
  var left = script.getAttribute('data-position') === 'left';
  /** Fetch a fresh voice token once 80% of its lifetime has passed. */
  var REFRESH_FRACTION = 0.8;

  var session = null; // { token, identity, phoneNumber, orgName, expiresIn, fetchedAt }
  var refreshTimer = null;
  var sdkPromise = null;
  var device = null;
  var activeCall = null;
  var state = 'idle';
  var ui = null;

  if (!embedToken) {
    console.error('[Epoch Voice] widget.js needs a data-token="ept_…" attribute.');
    return;
  }

  var CSS =
    ':host{all:initial}' +
    '.wrap{position:fixed;bottom:20px;' + (left ? 'left' : 'right') + ':20px;z-index:2147483000;display:flex;flex-direction:column;align-items:' + (left ? 'flex-start' : 'flex-end') + ';gap:10px;' +
    'font:15px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:#1f2933}' +
    '.panel{background:#fff;border-radius:12px;box-shadow:0 8px 30px rgba(0,0,0,.18);padding:14px 16px;width:260px;box-sizing:border-box}' +
    '.panel[hidden],.hangup[hidden],.hint:empty{display:none}' +
    '.org{font-weight:600;margin:0 0 4px}.status{margin:0}.hint{margin:6px 0 0;font-size:13px;color:#52606d}' +
    '.hangup{margin-top:10px;background:#d64545;color:#fff;border:0;border-radius:8px;padding:8px 14px;font:inherit;cursor:pointer}' +
    '.call{display:flex;align-items:center;gap:8px;background:#2563eb;color:#fff;border:0;border-radius:999px;padding:12px 20px;' +
    'font:inherit;font-weight:600;cursor:pointer;box-shadow:0 6px 20px rgba(37,99,235,.35)}' +
    '.call:hover{background:#1d4ed8}.call:focus-visible,.hangup:focus-visible{outline:3px solid #93c5fd;outline-offset:2px}' +
    '.call[disabled]{opacity:.7;cursor:progress}.call svg{width:18px;height:18px;fill:currentColor}';
  var PHONE_ICON =
    '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M6.6 10.8a15.1 15.1 0 0 0 6.6 6.6l2.2-2.2a1 1 0 0 1 1-.25 11.4 11.4 0 0 0 3.6.57 1 1 0 0 1 1 1V20a1 1 0 0 1-1 1A17 17 0 0 1 3 4a1 1 0 0 1 1-1h3.5a1 1 0 0 1 1 1c0 1.25.2 2.46.57 3.6a1 1 0 0 1-.25 1z"/></svg>';

  function mount() {
    var host = document.createElement('div');
    host.id = 'epoch-voice-widget';
    host.setAttribute('data-state', 'idle');
    var root = host.attachShadow({ mode: 'open' });
    root.innerHTML =
      '<style>' + CSS + '</style><div class="wrap">' +
      '<div class="panel" hidden><p class="org"></p><p class="status" role="status" aria-live="polite"></p><p class="hint"></p>' +
      '<button class="hangup" type="button" hidden>Hang up</button></div>' +
      '<button class="call" type="button">' + PHONE_ICON + '<span class="label"></span></button></div>';
    ui = {
      host: host,
      panel: root.querySelector('.panel'),
      org: root.querySelector('.org'),
      status: root.querySelector('.status'),
      hint: root.querySelector('.hint'),
      hangup: root.querySelector('.hangup'),
      call: root.querySelector('.call'),
    };
    root.querySelector('.label').textContent = label;
    ui.call.setAttribute('aria-label', label);
    ui.call.addEventListener('click', startCall);
    ui.hangup.addEventListener('click', hangUp);
    document.body.appendChild(host);
  }

  /** Shows a state: its text, an optional hint, and whether the call can be hung up. */
  function show(next, text, hint, opts) {
    state = next;
    opts = opts || {};
    ui.host.setAttribute('data-state', next);
    if (opts.error) ui.host.setAttribute('data-error', opts.error);
    else ui.host.removeAttribute('data-error');
    ui.panel.hidden = next === 'idle';
    ui.org.textContent = session ? session.orgName : '';
    ui.status.textContent = text || '';
    ui.hint.textContent = hint || '';
    ui.hangup.hidden = !(next === 'calling' || next === 'sandbox');
    ui.call.disabled = next === 'connecting' || next === 'calling' || next === 'sandbox';
  }

  function WidgetError(kind, message, hint) {
    this.kind = kind;
    this.message = message;
    this.hint = hint;
  }

  /** POST the embed token to our API (cross-origin): a 1-hour Twilio Voice token. */
  function exchange() {
    return fetch(apiBase + '/api/widget/token', {
      method: 'POST',
      mode: 'cors',
      credentials: 'omit',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ embedToken: embedToken }),
    }).then(
      function (res) {
        return res.json().catch(function () { return {}; }).then(function (body) {
          if (res.ok) {
            session = body;
            session.fetchedAt = Date.now();
            scheduleRefresh();
            return session;
          }
          throw errorFor(res.status, body, res.headers.get('retry-after'));
        });
      },
      function () {
        // A refused origin or an unknown token answers without CORS headers: the browser hides it.
        console.warn('[Epoch Voice] The call button was refused. Check that ' + location.host +
          ' is in the embed token’s allowed domains and that the token has not been revoked.');
        throw new WidgetError('unavailable', 'Calling isn’t available on this website right now.', 'Please phone us directly instead.');
      },
    );
  }

  function errorFor(status, body, retryAfter) {
    if (status === 429) {
      var seconds = Number(retryAfter) || 60;
      return new WidgetError('rate_limited', 'Lots of callers right now.', 'Please try again in ' + seconds + ' seconds.');
    }
    if (status === 409) return new WidgetError('no_number', 'This business can’t take calls online yet.', 'Please try again later.');
    if (status === 401 || status === 403) return new WidgetError('unavailable', 'Calling isn’t available on this website right now.', 'Please phone us directly instead.');
    return new WidgetError('failed', 'Sorry, the call could not be started.', (body && body.error) || 'Please try again in a moment.');
  }

  /** A token with at least 20% of its life left, or a fresh one. */
  function currentSession() {
    if (session && Date.now() - session.fetchedAt < session.expiresIn * 1000 * REFRESH_FRACTION) return Promise.resolve(session);
    return exchange();
  }

  function scheduleRefresh() {
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(refresh, session.expiresIn * 1000 * REFRESH_FRACTION);
  }

  /** At 80% of the token's life: renew it while a call is up, otherwise let it lapse. */
  function refresh() {
    if (state !== 'calling' && state !== 'sandbox') {
      session = null;
      return;
    }
    exchange().then(
      function (fresh) {
        if (device && typeof device.updateToken === 'function') device.updateToken(fresh.token);
      },
      function () {
        // The call in progress goes on; try again shortly, well before the old token expires.
        clearTimeout(refreshTimer);
        refreshTimer = setTimeout(refresh, 30000);
      },
    );
  }

  /** The Twilio Voice SDK's Device class, loaded from data-sdk or ours when the page has none; null when there is no SDK. */
  function loadDevice() {
    var existing = window.Twilio && window.Twilio.Device;
    if (existing) return Promise.resolve(existing);
    if (!sdkUrl) return Promise.resolve(null);
    if (!sdkPromise) {
      sdkPromise = new Promise(function (resolve, reject) {
        var tag = document.createElement('script');
        tag.src = sdkUrl;
        tag.async = true;
        tag.onload = function () {
          if (window.Twilio && window.Twilio.Device) resolve(window.Twilio.Device);
          else reject(new WidgetError('failed', 'Sorry, the call could not be started.', 'The calling software did not load.'));
        };
        tag.onerror = function () {
          sdkPromise = null;
          reject(new WidgetError('failed', 'Sorry, the call could not be started.', 'The calling software did not load.'));
        };
        document.head.appendChild(tag);
      });
    }
    return sdkPromise;
  }

  function startCall() {
    if (state === 'connecting' || state === 'calling' || state === 'sandbox') return;
    show('connecting', 'Connecting…');
    currentSession()
      .then(function (s) {
        return loadDevice().then(function (Device) {
          if (!Device) {
            show('sandbox', 'Calling… (sandbox)', 'The token exchange succeeded for ' + s.phoneNumber + '. There is no Twilio Voice SDK on this page, so no audio call was placed.');
            return;
          }
          if (!device) {
            device = new Device(s.token, { closeProtection: true });
            if (typeof device.on === 'function') device.on('error', function (err) { failed(err); });
          } else if (typeof device.updateToken === 'function') {
            device.updateToken(s.token);
          }
          return device.connect({ params: { To: s.phoneNumber } }).then(function (call) {
            activeCall = call;
            show('calling', 'Calling…', 'Ringing ' + s.orgName + '.');
            call.on('accept', function () { show('calling', 'Connected', 'You are speaking with ' + s.orgName + '.'); });
            call.on('disconnect', ended);
            call.on('cancel', ended);
            call.on('reject', ended);
            call.on('error', failed);
          });
        });
      })
      .catch(failed);
  }

  function failed(err) {
    activeCall = null;
    if (err instanceof WidgetError) return show('error', err.message, err.hint, { error: err.kind });
    var denied = err && (err.code === 31401 || err.code === 31208 || err.name === 'NotAllowedError');
    if (denied) return show('error', 'Please allow microphone access to call.', 'Then press the button again.', { error: 'microphone' });
    show('error', 'Sorry, the call could not be started.', 'Please try again in a moment.', { error: 'failed' });
  }

  function ended() {
    activeCall = null;
    show('ended', 'Call ended', 'Thanks for calling.');
    setTimeout(function () { if (state === 'ended') show('idle'); }, 4000);
  }

  function hangUp() {
    if (activeCall && typeof activeCall.disconnect === 'function') activeCall.disconnect();
    else ended();
  }

  if (document.body) mount();
  else document.addEventListener('DOMContentLoaded', mount);
})();
