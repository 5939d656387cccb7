/*!
 * Rapport loader — the stable entry point a shop embeds:
 *
 *   <script src="https://cdn.example/rapport/rapport.js"
 *           data-survey="https://shop.example/surveys/post-purchase.json"
 *           data-endpoint="https://collector.example/responses"
 *           data-target="#rapport-survey"
 *           data-context='{"order":{"id":"A-1001","total":649.0,"currency":"EUR"}}'
 *           async></script>
 *
 * and, optionally, the JS API with a command queue (calls made before this file has
 * loaded are kept and replayed):
 *
 *   window.rapport = window.rapport || [];
 *   rapport.push(['show', { survey: '…', endpoint: '…', mode: 'modal', onSubmit: fn }]);
 *   // once loaded, also: rapport.show({...}); rapport.close();
 *
 * It loads the content-hashed widget (wasm-bindgen glue + wasm) from the same folder as
 * itself and hands it the script tag's data-* attributes and the queued commands. It never
 * throws into the host page: every problem is reported with console.error("[rapport] ..."),
 * and an internal error of the widget removes the widget and is kept away from the page's
 * own error handlers.
 *
 * Template: `cargo xtask dist` replaces the two placeholder names below.
 */
(function (window, document) {
  'use strict';

  var PREFIX = '[rapport]';
  var GLUE_FILE = '__GLUE__';
  var WASM_FILE = '__WASM__';
  // data-* attributes: plain text, numbers, JSON.
  var TEXT_ATTRIBUTES = ['survey', 'endpoint', 'target', 'locale', 'mode', 'trigger'];
  var NUMBER_ATTRIBUTES = ['delay', 'sampling'];
  var JSON_ATTRIBUTES = ['context', 'frequency', 'theme', 'headers'];
  var MAX_WAIT_MS = 3000; // longest wait for the page's load event before starting anyway
  var PAINT_WAIT_MS = 100; // longest wait for the page's next paint (hidden tabs paint none)

  var existing = window.rapport;
  if (existing && existing.loaded) {
    // rapport.js is on the page twice: the first one serves, and this tag's options would
    // be lost without a word.
    try {
      var twice = findOwnScript();
      if (twice && hasOptions(twice)) {
        window.console.warn(PREFIX + ' rapport.js is on this page more than once; only the first one to load is used, and the data-* attributes of ' +
          twice.src + ' are ignored. Keep one script tag.');
      }
    } catch (ignored) {
    }
    return;
  }
  var queue = Object.prototype.toString.call(existing) === '[object Array]' ? existing.slice() : [];
  var widget = null; // the wasm-bindgen module, once ready
  var stopped = false; // after a load failure or an internal error
  var panicked = false; // the widget reported a panic (and logged it)
  var lastOnError = null; // the onError of the latest `show`, told of internal errors

  function logError(message, error) {
    try {
      if (error === undefined) {
        window.console.error(PREFIX + ' ' + message);
      } else {
        window.console.error(PREFIX + ' ' + message, error);
      }
    } catch (ignored) {
      // Nothing left to report to.
    }
  }

  /** Calls the shop's onError later, so that whatever it does cannot hurt the loader. */
  function tellOnError(onError, code, message) {
    if (typeof onError === 'function') {
      window.setTimeout(function () {
        try {
          onError({ code: code, message: message });
        } catch (error) {
          logError('the onError callback threw', error);
        }
      }, 0);
    }
  }

  /** Removes every widget from the page. */
  function removeWidgets() {
    try {
      var hosts = document.querySelectorAll('[data-rapport-survey]');
      for (var i = 0; i < hosts.length; i++) {
        hosts[i].parentNode.removeChild(hosts[i]);
      }
    } catch (ignored) {
      // The page is going away.
    }
  }

  /** The widget failed inside: stop it, remove it, say so once. */
  function stop(error, alreadyLogged) {
    if (stopped) {
      return;
    }
    stopped = true;
    removeWidgets();
    var message = 'internal error, the survey stopped';
    if (!alreadyLogged) {
      logError(message + '. Please report this to the survey\'s provider.', error);
    }
    tellOnError(lastOnError, 'internal', typeof error === 'string' ? error : message);
  }

  /** Whether `error` comes from the widget's code (its glue or its wasm on the stack). */
  function fromWidget(error) {
    if (!error || widget === null) {
      return false;
    }
    var stack = String(error.stack || '');
    return stack.indexOf(GLUE_FILE) !== -1 || stack.indexOf(WASM_FILE) !== -1 ||
      (typeof window.WebAssembly === 'object' && error instanceof window.WebAssembly.RuntimeError);
  }

  /**
   * The widget's exports, each wrapped so that an error escaping the wasm (a panic ends in a
   * trap, `RuntimeError: unreachable`) stops at the boundary instead of unwinding into the
   * page's event dispatch, where the page's error handlers would see it. Once stopped, the
   * wasm is not entered again (0 keeps the glue's bookkeeping quiet).
   */
  function guardExports(exports) {
    var guarded = {};
    Object.keys(exports).forEach(function (name) {
      var value = exports[name];
      guarded[name] = typeof value !== 'function' ? value : function () {
        if (stopped) {
          return 0;
        }
        try {
          return value.apply(undefined, arguments);
        } catch (error) {
          stop(error, panicked);
          return 0;
        }
      };
    });
    return guarded;
  }

  /**
   * Runs `init` (the glue's instantiation) with WebAssembly.instantiate and
   * instantiateStreaming wrapped, so that the widget's instance gets guarded exports. Only
   * the widget's own instantiation is touched (recognised by its import module name); both
   * functions are restored when `init` settles.
   */
  function guarded(init) {
    var api = window.WebAssembly;
    var original = { instantiate: api.instantiate, instantiateStreaming: api.instantiateStreaming };
    function wrap(name) {
      return function (source, imports) {
        var result = original[name].apply(api, arguments);
        if (!imports || !imports['./rapport_bg.js']) {
          return result;
        }
        return result.then(function (made) {
          var instance = made instanceof api.Instance ? made : made.instance;
          return { instance: { exports: guardExports(instance.exports) }, module: made.module || source };
        });
      };
    }
    function restore() {
      api.instantiate = original.instantiate;
      if (original.instantiateStreaming) {
        api.instantiateStreaming = original.instantiateStreaming;
      }
    }
    api.instantiate = wrap('instantiate');
    if (original.instantiateStreaming) {
      api.instantiateStreaming = wrap('instantiateStreaming');
    }
    return init().then(function (value) {
      restore();
      return value;
    }, function (error) {
      restore();
      throw error;
    });
  }

  // A safety net for an error of the widget that escaped anyway: it goes no further than
  // here, unless the page registered its own error handlers before this loader ran.
  function containEvent(event, error) {
    if (fromWidget(error)) {
      event.preventDefault();
      event.stopImmediatePropagation();
      stop(error, panicked);
    }
  }
  window.addEventListener('error', function (event) { containEvent(event, event.error); }, true);
  window.addEventListener('unhandledrejection', function (event) { containEvent(event, event.reason); }, true);

  /** Keeps the onError of a `show` command, to tell it of internal errors. */
  function noteOnError(command) {
    if (command && command[0] === 'show' && command[1] && command[1].onError) {
      lastOnError = command[1].onError;
    }
  }
  for (var q = 0; q < queue.length; q++) {
    noteOnError(queue[q]);
  }

  function run(command) {
    if (stopped) {
      return;
    }
    noteOnError(command);
    if (widget === null) {
      queue.push(command);
      return;
    }
    try {
      widget.command(command);
    } catch (error) {
      stop(error, false);
    }
  }

  window.rapport = {
    loaded: true,
    push: function () {
      for (var i = 0; i < arguments.length; i++) {
        run(arguments[i]);
      }
    },
    show: function (options) {
      run(['show', options]);
    },
    close: function () {
      run(['close']);
    }
  };

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

  /** Whether `script` has an option among its data-* attributes. */
  function hasOptions(script) {
    var known = TEXT_ATTRIBUTES.concat(NUMBER_ATTRIBUTES, JSON_ATTRIBUTES);
    for (var i = 0; i < known.length; i++) {
      if (script.hasAttribute('data-' + known[i])) {
        return true;
      }
    }
    return false;
  }

  /**
   * Optimal string alignment distance of `a` and `b` (a swap of two neighbours counts
   * once), to tell a misspelt option from another tool's data-* attribute.
   */
  function distance(a, b) {
    var d = [];
    for (var i = 0; i <= a.length; i++) {
      d[i] = [i];
      for (var j = 1; j <= b.length; j++) {
        d[i][j] = i === 0 ? j : Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1,
          d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length][b.length];
  }

  /**
   * Warns of each data-* attribute of `script` that looks like a misspelt option
   * (`data-endpiont`): it is ignored, and a survey without its endpoint would lose every
   * answer. Other data-* attributes (consent managers and CDNs put their own on script
   * tags) are left alone.
   */
  function warnMisspelt(script) {
    var known = TEXT_ATTRIBUTES.concat(NUMBER_ATTRIBUTES, JSON_ATTRIBUTES);
    var attributes = script.attributes;
    for (var i = 0; i < attributes.length; i++) {
      var name = attributes[i].name;
      if (name.indexOf('data-') !== 0 || known.indexOf(name.slice(5)) !== -1) {
        continue;
      }
      for (var k = 0; k < known.length; k++) {
        var near = distance(name.slice(5), known[k]);
        if (near <= (known[k].length < 6 ? 1 : 2)) {
          window.console.warn(PREFIX + ' ' + name + ' is not an option and is ignored; did you mean data-' + known[k] + '?');
          break;
        }
      }
    }
  }

  /** The folder URL of `src`, with a trailing slash. */
  function baseUrl(src) {
    return src.replace(/[?#].*$/, '').replace(/[^\/]*$/, '');
  }

  /** The script tag's options from its data-* attributes; absent ones are left out. */
  function readOptions(script) {
    var options = {};
    var i, name, value;
    for (i = 0; i < TEXT_ATTRIBUTES.length; i++) {
      name = TEXT_ATTRIBUTES[i];
      value = script.getAttribute('data-' + name);
      if (value) {
        options[name] = value;
      }
    }
    for (i = 0; i < NUMBER_ATTRIBUTES.length; i++) {
      name = NUMBER_ATTRIBUTES[i];
      value = script.getAttribute('data-' + name);
      if (value) {
        // Not a number: passed on as text, and the widget names the attribute's problem.
        options[name] = isNaN(Number(value)) ? value : Number(value);
      }
    }
    for (i = 0; i < JSON_ATTRIBUTES.length; i++) {
      name = JSON_ATTRIBUTES[i];
      value = script.getAttribute('data-' + name);
      if (value) {
        try {
          options[name] = JSON.parse(value);
        } catch (error) {
          // Passed on as text: the widget then refuses the configuration (nothing shown,
          // `onError` with `config`) instead of showing a survey without, say, its order.
          options[name] = value;
          logError('data-' + name + ' is not valid JSON (' + error.message + ')');
        }
      }
    }
    return options;
  }

  /** Runs `work` in a later task unless the widget stopped meanwhile; an error stops it. */
  function inTask(work) {
    window.setTimeout(function () {
      if (stopped) {
        return;
      }
      try {
        work();
      } catch (error) {
        stop(error, false);
      }
    }, 0);
  }

  /** A promise that resolves in a later task (a zero-delay timer). */
  function nextTask() {
    return new Promise(function (resolve) {
      window.setTimeout(resolve, 0);
    });
  }

  /** Calls `callback` once the document has been parsed. */
  function whenDomReady(callback) {
    if (document.readyState === 'loading') {
      document.addEventListener('DOMContentLoaded', callback);
    } else {
      callback();
    }
  }

  /** The widget cannot load: say so, and tell the onError of every queued `show`. */
  function fail(message, error) {
    stopped = true;
    logError(message, error);
    for (var i = 0; i < queue.length; i++) {
      if (queue[i] && queue[i][0] === 'show' && queue[i][1]) {
        tellOnError(queue[i][1].onError, 'load', message);
      }
    }
  }

  function start(script) {
    if (typeof window.WebAssembly !== 'object') {
      fail('this browser has no WebAssembly support; the survey is not shown');
      return;
    }
    if (!script) {
      fail('cannot find the <script src=".../rapport.js"> element');
      return;
    }
    var base = baseUrl(script.src);
    warnMisspelt(script);
    var options = readOptions(script);

    // Fetch the wasm module while the glue loads, instead of after it: the glue then
    // compiles the response as it streams in (WebAssembly.instantiateStreaming).
    var wasm = base + WASM_FILE;
    if (typeof window.fetch === 'function') {
      wasm = window.fetch(wasm);
      wasm['catch'](function () {}); // reported through the glue's init, not as unhandled
    }
    // Likewise the script tag's survey (unless it waits for `rapport.show()`): its round trip
    // then overlaps the widget's download instead of following it.
    var survey = null;
    if (typeof window.fetch === 'function' && typeof options.survey === 'string' &&
        options.trigger !== 'manual') {
      survey = { url: options.survey, response: window.fetch(options.survey) };
      survey.response['catch'](function () {}); // reported by the widget, not as unhandled
    }
    import(base + GLUE_FILE)
      .then(function (module) {
        // The instantiation in a task of its own, not in the one that evaluated the glue:
        // on a slow phone the two add up to a long task.
        return nextTask().then(function () {
          return guarded(function () {
            return module['default']({ module_or_path: wasm });
          });
        }).then(function () {
          // A task of its own after the instantiation, so the two do not add up to one
          // long task on the page's main thread; likewise each step after it: the widget's
          // functions are compiled on their first call.
          whenDomReady(function () { inTask(connect); });
          function connect() {
            if (survey) {
              module.prefetched(survey.url, survey.response);
            }
            inTask(begin);
          }
          function begin() {
            module.begin(options, function onPanic(message) {
              // The widget has logged the error; the trap that follows is contained above.
              panicked = true;
              stop(message, true);
            });
            // Reading the first configuration would make this task long; until the replay
            // the page's commands stay queued, in order.
            inTask(replay);
          }
          function replay() {
            var queued = queue;
            queue = [];
            widget = module;
            module.replay(queued);
          }
        });
      })
      ['catch'](function (error) {
        fail('failed to load the widget from ' + base, error);
      });
  }

  /**
   * Calls `callback` in a task after the page's next paint: a page's first paint often comes
   * only after its `load` event, and the widget's download and compilation must not hold back
   * the page's largest contentful paint. At the latest PAINT_WAIT_MS later, since a hidden tab
   * paints no frames.
   */
  function afterNextPaint(callback) {
    var called = false;
    function once() {
      if (!called) {
        called = true;
        callback();
      }
    }
    if (typeof window.requestAnimationFrame === 'function') {
      // The frame callback runs just before the paint; a task queued from it runs after.
      window.requestAnimationFrame(function () { window.setTimeout(once, 0); });
    }
    window.setTimeout(once, PAINT_WAIT_MS);
  }

  /**
   * Calls `callback` once the page has loaded (its `load` event) and painted, so that the
   * widget's download, compilation and first render never compete with the page's own loading;
   * at the latest MAX_WAIT_MS after this script ran, so that a slow image does not hold the
   * survey back. Commands (`rapport.show`, …) given meanwhile are queued.
   */
  function afterPageLoad(callback) {
    if (document.readyState === 'complete') {
      afterNextPaint(callback);
      return;
    }
    var started = false;
    function once() {
      if (!started) {
        started = true;
        window.removeEventListener('load', once);
        // Not inside the page's load event dispatch, which often shares its task with the
        // end of parsing and the first layout, nor before the paint that follows.
        afterNextPaint(callback);
      }
    }
    window.addEventListener('load', once);
    window.setTimeout(once, MAX_WAIT_MS);
  }

  var ownScript = null;
  try {
    ownScript = findOwnScript(); // now: document.currentScript is gone by the time start runs
  } catch (ignored) {
  }
  afterPageLoad(function () {
    try {
      start(ownScript);
    } catch (error) {
      logError('unexpected error in the loader', error);
    }
  });
})(window, document);
