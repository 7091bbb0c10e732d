/**
 * Debian's Chromium as every script and test here starts it: headless, and with nothing that
 * reaches out to the network (this machine's closed network refuses it, many times a second).
 */

/** Where Debian puts Chromium. */
export const CHROMIUM = '/usr/bin/chromium';

/** The flags that make Debian's Chromium behave headless in a sandboxed machine. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
