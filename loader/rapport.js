/*!
 * Rapport loader — the stable entry point a shop embeds:
 *
 *   <script src="https://cdn.example/rapport/rapport.js"
 *           data-survey="https://shop.example/surveys/post-purchase.json"
 *           data-endpoint="https://collector.example/responses"
 *           data-target="#rapport-survey"
 *           data-locale="de"
 *           data-context='{"order":{"id":"A-1001","total":649.0,"currency":"EUR"}}'
 *           async></script>
 *
 * It loads the content-hashed widget (wasm-bindgen glue + wasm) from the same
 * folder as itself and boots it with the configuration read from its data-*
 * attributes. It never throws into the host page: every problem is reported
 * with console.error("[rapport] ...").
 *
 * Template: `cargo xtask dist` replaces the two placeholder names below.
 */
(function (window, document) {
  'use strict';

  var PREFIX = '[rapport]';
  var GLUE_FILE = '__GLUE__';
  var WASM_FILE = '__WASM__';

  function logError(message, error) {
    try {
      if (window.console && window.console.error) {
        if (error === undefined) {
          window.console.error(PREFIX + ' ' + message);
        } else {
          window.console.error(PREFIX + ' ' + message, error);
        }
      }
    } catch (ignored) {
      // Nothing left to report to.
    }
  }

  /** The <script> element that loaded this file. */
  function findOwnScript() {
    var current = document.currentScript;
    if (current && current.src) {
      return current;
    }
    var scripts = document.getElementsByTagName('script');
    for (var i = scripts.length - 1; i >= 0; i--) {
      if (/(^|\/)rapport\.js([?#].*)?$/.test(scripts[i].src || '')) {
        return scripts[i];
      }
    }
    return null;
  }

  /** The folder URL of `src`, with a trailing slash. */
  function baseUrl(src) {
    return src.replace(/[?#].*$/, '').replace(/[^\/]*$/, '');
  }

  /** `url` resolved against the page's base URL. */
  function absoluteUrl(url) {
    var anchor = document.createElement('a');
    anchor.href = url;
    return anchor.href;
  }

  /** The widget configuration from the script's data-* attributes; absent keys are omitted. */
  function readConfig(script) {
    var config = {};
    var survey = script.getAttribute('data-survey');
    var endpoint = script.getAttribute('data-endpoint');
    var target = script.getAttribute('data-target');
    var locale = script.getAttribute('data-locale');
    var context = script.getAttribute('data-context');
    if (survey) {
      config.survey_url = absoluteUrl(survey);
    }
    if (endpoint) {
      config.endpoint = absoluteUrl(endpoint);
    }
    if (target) {
      config.target = target;
    }
    if (locale) {
      config.locale = locale;
    }
    if (context) {
      try {
        config.context = JSON.parse(context);
      } catch (error) {
        logError('data-context is not valid JSON; continuing without it', error);
      }
    }
    return config;
  }

  /** Calls `callback` once the document has been parsed. */
  function whenDomReady(callback) {
    if (document.readyState === 'loading') {
      document.addEventListener('DOMContentLoaded', callback);
    } else {
      callback();
    }
  }

  function start() {
    if (typeof window.WebAssembly !== 'object') {
      logError('this browser has no WebAssembly support; the survey is not shown');
      return;
    }
    var script = findOwnScript();
    if (!script) {
      logError('cannot find the <script src=".../rapport.js"> element');
      return;
    }
    var base = baseUrl(script.src);
    var config = readConfig(script);

    // Command queue for the JS API: calls made before the widget loads are kept.
    window.rapport = window.rapport || [];

    import(base + GLUE_FILE)
      .then(function (widget) {
        return widget['default']({ module_or_path: base + WASM_FILE }).then(function () {
          whenDomReady(function () {
            try {
              widget.boot(JSON.stringify(config));
            } catch (error) {
              logError('the widget failed to start', error);
            }
          });
        });
      })
      ['catch'](function (error) {
        logError('failed to load the widget from ' + base, error);
      });
  }

  try {
    start();
  } catch (error) {
    logError('unexpected error in the loader', error);
  }
})(window, document);
