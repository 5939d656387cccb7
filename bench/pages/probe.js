/*
 * The bench's in-page probe, added to every document before any page script
 * (Playwright's addInitScript). It only observes; the bench drives the page with raw CDP
 * (Runtime.evaluate, Input.*), so no automation script is injected into the page while it is
 * being measured.
 *
 *   - long tasks (PerformanceObserver 'longtask', buffered)
 *   - largest contentful paint candidates ('largest-contentful-paint', buffered)
 *   - the first pointerdown (start of the first click), as performance.now() and epoch ms
 *   - the first frame in which the survey's first question (the NPS scale) is in the DOM
 *     and visible, checked in every animation frame (through open shadow roots)
 *   - the WebAssembly memories the page instantiates (their size is in no CDP heap metric),
 *     by wrapping WebAssembly.instantiate(Streaming) without changing what they return
 */
(function () {
  'use strict';
  if (window.__bench) {
    return;
  }
  var match = /\/shop\/([a-z]+)\.html$/.exec(location.pathname);
  var variant = match ? match[1] : null;
  // The first NPS value of each widget: what "first question visible" waits for.
  var FIRST_QUESTION = {
    rapport: '.scale[data-scale="nps"] [role="radio"]',
    baseline: '.scale[data-scale="nps"] [role="radio"]',
    surveyjs: '[data-name="nps"] .sd-rating__item'
  };
  var B = (window.__bench = {
    variant: variant,
    longtasks: [],
    lcp: [],
    firstClick: null,
    firstQuestion: null,
    loadingEnd: null,
    errors: []
  });

  function describe(element) {
    if (!element) {
      return null; // e.g. inside a shadow root: not exposed
    }
    var text = element.tagName.toLowerCase();
    if (element.id) {
      text += '#' + element.id;
    } else if (element.className && typeof element.className === 'string') {
      text += '.' + element.className.trim().split(/\s+/).join('.');
    }
    return text;
  }

  try {
    new PerformanceObserver(function (list) {
      list.getEntries().forEach(function (e) {
        B.longtasks.push({ start: e.startTime, duration: e.duration });
      });
    }).observe({ type: 'longtask', buffered: true });
  } catch (error) {
    B.errors.push('longtask observer: ' + error);
  }
  try {
    new PerformanceObserver(function (list) {
      list.getEntries().forEach(function (e) {
        B.lcp.push({ time: e.startTime, size: e.size, element: describe(e.element) });
      });
    }).observe({ type: 'largest-contentful-paint', buffered: true });
  } catch (error) {
    B.errors.push('lcp observer: ' + error);
  }

  var memories = [];
  function collectMemories(result) {
    try {
      var exports = (result && (result.instance || result).exports) || {};
      Object.keys(exports).forEach(function (name) {
        if (exports[name] instanceof WebAssembly.Memory && memories.indexOf(exports[name]) === -1) {
          memories.push(exports[name]);
        }
      });
    } catch (error) {
      B.errors.push('wasm memory probe: ' + error);
    }
    return result;
  }
  if (typeof WebAssembly === 'object') {
    ['instantiate', 'instantiateStreaming'].forEach(function (name) {
      var original = WebAssembly[name];
      if (typeof original === 'function') {
        WebAssembly[name] = function () {
          return original.apply(WebAssembly, arguments).then(collectMemories);
        };
      }
    });
  }

  window.addEventListener('pointerdown', function (event) {
    if (B.firstClick === null) {
      B.firstClick = { time: event.timeStamp, epoch: performance.timeOrigin + event.timeStamp };
    }
  }, true);

  /** Every element matching `selector` under `root`, looking into open shadow roots too. */
  function deepAll(root, selector, out) {
    var i, all;
    out = out || [];
    all = root.querySelectorAll(selector);
    for (i = 0; i < all.length; i++) {
      out.push(all[i]);
    }
    all = root.querySelectorAll('*');
    for (i = 0; i < all.length; i++) {
      if (all[i].shadowRoot) {
        deepAll(all[i].shadowRoot, selector, out);
      }
    }
    return out;
  }

  function isVisible(element) {
    var rect = element.getBoundingClientRect();
    if (rect.width <= 0 || rect.height <= 0) {
      return false;
    }
    return typeof element.checkVisibility !== 'function' ||
      element.checkVisibility({ opacityProperty: true, visibilityProperty: true });
  }

  /** The first visible element in the survey slot matching `selector` (and `text`, if given). */
  function find(selector, text) {
    var slot = document.getElementById('survey-slot');
    if (!slot) {
      return null;
    }
    var all = deepAll(slot, selector);
    for (var i = 0; i < all.length; i++) {
      if ((text == null || all[i].textContent.trim() === text) && isVisible(all[i])) {
        return all[i];
      }
    }
    return null;
  }

  var loaded = new Promise(function (resolve) {
    window.addEventListener('load', function () {
      setTimeout(resolve, 0); // after loadEventEnd is set
    });
  });
  var firstQuestion = new Promise(function (resolve) {
    var selector = FIRST_QUESTION[variant];
    if (!selector) {
      resolve();
      return;
    }
    function tick() {
      if (find(selector, null)) {
        B.firstQuestion = performance.now();
        resolve();
      } else {
        requestAnimationFrame(tick);
      }
    }
    requestAnimationFrame(tick);
  });

  /** What the bench reads: plain data only. */
  B.snapshot = function () {
    var nav = performance.getEntriesByType('navigation')[0] || {};
    return {
      variant: variant,
      firstQuestion: B.firstQuestion,
      domContentLoaded: nav.domContentLoadedEventStart,
      loadEvent: nav.loadEventStart,
      lcp: B.lcp.slice(),
      longtasks: B.longtasks.slice(),
      firstClick: B.firstClick,
      loadingEnd: B.loadingEnd,
      wasmMemory: memories.reduce(function (sum, m) { return sum + m.buffer.byteLength; }, 0),
      now: performance.now(),
      epoch: performance.timeOrigin + performance.now(),
      errors: B.errors.slice()
    };
  };

  /**
   * Resolves once the load event has fired and the first question is visible, plus `settle`
   * ms for whatever the page and the widget still do right after; rejects after `timeout` ms.
   */
  B.loadingDone = function (settle, timeout) {
    return new Promise(function (resolve, reject) {
      var timer = setTimeout(function () {
        reject(new Error('page not ready after ' + timeout + ' ms (load event ' +
          (performance.getEntriesByType('navigation')[0] || {}).loadEventStart +
          ', first question ' + B.firstQuestion + ')'));
      }, timeout);
      Promise.all([loaded, firstQuestion]).then(function () {
        setTimeout(function () {
          clearTimeout(timer);
          B.loadingEnd = performance.now();
          resolve(B.snapshot());
        }, settle);
      });
    });
  };

  /**
   * Resolves with the viewport centre of the first visible match once its position is the
   * same in two consecutive frames (scrolling it into view first if needed).
   */
  B.waitFor = function (selector, text, timeout) {
    return new Promise(function (resolve, reject) {
      var deadline = performance.now() + timeout;
      var last = null;
      function poll() {
        var element = find(selector, text);
        if (element) {
          var rect = element.getBoundingClientRect();
          if (rect.top < 0 || rect.bottom > window.innerHeight) {
            element.scrollIntoView({ block: 'center', behavior: 'instant' });
            last = null;
          } else {
            var key = rect.left + ',' + rect.top + ',' + rect.width + ',' + rect.height;
            if (key === last) {
              resolve({ x: rect.left + rect.width / 2, y: rect.top + rect.height / 2 });
              return;
            }
            last = key;
          }
        } else {
          last = null;
        }
        if (performance.now() > deadline) {
          reject(new Error('no visible ' + selector + (text == null ? '' : ' "' + text + '"') +
            ' after ' + timeout + ' ms'));
          return;
        }
        requestAnimationFrame(poll);
      }
      poll();
    });
  };
})();
