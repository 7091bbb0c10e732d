/**
 * Preloaded into the Microsoft 365 Agents Playground (`--require`, by scripts/playground.ts). The
 * Playground is a compiled tool with a port option and no host option, and its server listens on
 * every interface: on a laptop in an office or café network, anyone nearby could chat to the
 * local bot as the Playground's pretend user and read what it answers. This makes a listen that
 * names no host listen on loopback (127.0.0.1) instead; a listen that names one is left alone.
 * CommonJS because `--require` runs before the tool's own code, whatever module system it uses.
 */
'use strict';
const net = require('node:net');

const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function listenOnLoopback(...args) {
  const [first] = args;
  if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    // listen(port[, host][, backlog][, callback]): a host is the second argument when it is a string.
    if (typeof args[1] !== 'string') args.splice(1, 0, '127.0.0.1');
  } else if (first && typeof first === 'object' && !('path' in first) && !('fd' in first) && !('handle' in first) && !first.host) {
    args[0] = { ...first, host: '127.0.0.1' };
  } else if (args.length === 0 || typeof first === 'function') {
    // listen([callback]): a random port on every interface; on loopback instead.
    args.unshift(0, '127.0.0.1');
  }
  return listen.apply(this, args);
};
