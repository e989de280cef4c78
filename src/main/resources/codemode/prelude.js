// Code Mode's prelude: evaluated in every sandbox before the agent's code. It takes the host's two
// functions and the tool list out of the global scope (the agent's code reaches them only through
// `codemode`), and answers an object whose `run` starts the agent's function and whose `settle`
// delivers a tool call's outcome. Builtins are captured first: the agent's code may replace them,
// which breaks only its own run (every run has a fresh context; the host checks every call).
(function () {
  'use strict';
  const host = { call: globalThis.__gw_call, finish: globalThis.__gw_finish };
  const mode = globalThis.__gw_mode;
  const parse = JSON.parse, stringify = JSON.stringify, PromiseCtor = Promise, ErrorCtor = Error;
  const tools = parse(globalThis.__gw_tools);
  for (const name of ['__gw_call', '__gw_finish', '__gw_tools', '__gw_mode']) delete globalThis[name];
  const known = Object.create(null);
  for (const tool of tools) known[tool.name] = true;
  const pending = Object.create(null);

  function invoke(name, args) {
    return new PromiseCtor((resolve, reject) => {
      if (mode !== 'execute') {
        reject(new ErrorCtor('codemode.' + name + '(): tools are called from portal_codemode_execute; portal_codemode_search only reads codemode.tools()'));
        return;
      }
      if (!known[name]) {
        reject(new ErrorCtor('codemode.' + name + '(): no such tool (codemode.tools() lists them)'));
        return;
      }
      let payload;
      try {
        payload = stringify(args === undefined ? {} : args);
      } catch (e) {
        reject(new ErrorCtor('codemode.' + name + '(): the arguments are not JSON: ' + e.message));
        return;
      }
      const id = host.call(name, payload);
      if (typeof id === 'string') reject(new ErrorCtor(id));
      else pending[id] = { resolve, reject };
    });
  }

  const codemode = new Proxy(Object.create(null), {
    get(target, property) {
      if (property === 'tools') return () => parse(stringify(tools));
      // `then` stays undefined so that `await codemode` is not taken for a promise
      if (typeof property !== 'string' || property === 'then') return undefined;
      return (args) => invoke(property, args);
    },
    has(target, property) { return property === 'tools' || (typeof property === 'string' && !!known[property]); },
    ownKeys() { return ['tools'].concat(Object.keys(known)); },
    getOwnPropertyDescriptor(target, property) {
      return { value: this.get(target, property), enumerable: true, configurable: true };
    },
    set() { return false; },
    defineProperty() { return false; },
    deleteProperty() { return false; },
  });
  Object.defineProperty(globalThis, 'codemode', { value: codemode, writable: false, configurable: false, enumerable: false });

  function render(value) {
    if (typeof value === 'string') return value;
    if (value === undefined) return 'undefined';
    try {
      const text = stringify(value, null, 2);
      return text === undefined ? String(value) : text;
    } catch (e) {
      return String(value);
    }
  }

  function describe(error) {
    try {
      if (error instanceof ErrorCtor) return (error.name || 'Error') + ': ' + error.message;
      return 'Error: ' + render(error);
    } catch (e) {
      return 'Error: (an error that cannot be printed)';
    }
  }

  return {
    run(fn) {
      PromiseCtor.resolve()
        .then(() => fn(codemode))
        .then((value) => host.finish(true, render(value)), (error) => host.finish(false, describe(error)));
    },
    settle(id, ok, payload) {
      const waiting = pending[id];
      if (!waiting) return;
      delete pending[id];
      if (ok) waiting.resolve(parse(payload));
      else waiting.reject(new ErrorCtor(payload));
    },
  };
})();
