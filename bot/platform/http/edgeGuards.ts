/**
 * Guards at the HTTP edge that hold for every route: JSON bodies only, and in local mode only
 * requests addressed to this machine by a loopback name. See docs/security.md for what they
 * protect against (a web page in the developer's browser posting to the local service, DNS
 * rebinding) and what they do not.
 */
import type restify from 'restify';

/** The only request body type the service reads (the Bot Framework and the tab both send it). */
const JSON_MEDIA_TYPE = 'application/json';

/** Methods that carry a body. */
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Whether a hostname (as `URL.hostname` gives it) names this machine's loopback interface:
 * `localhost`, any address of 127.0.0.0/8, or `[::1]`. Source: RFC 6761 §6.3 (localhost),
 * RFC 1122 §3.2.1.3 (127/8), RFC 4291 §2.5.3 (::1).
 */
function isLoopbackHostname(hostname: string): boolean {
  const h = hostname.toLowerCase();
  if (h === 'localhost' || h === '[::1]') return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h) && h.split('.').every((part) => Number(part) <= 255);
}

/**
 * Whether a `Host` header names this service on loopback: a loopback hostname and the port the
 * request arrived on (a missing port only when that port is 80). Browsers send the name the
 * page used, so a rebinding name (`evil.example:3978`) that resolves to 127.0.0.1 is refused.
 */
function isLoopbackHostHeader(host: string | undefined, localPort: number | undefined): boolean {
  if (!host || /[\s/@?#\\]/.test(host)) return false;
  let url: URL;
  try {
    url = new URL(`http://${host}`);
  } catch {
    return false;
  }
  const port = url.port === '' ? 80 : Number(url.port);
  return isLoopbackHostname(url.hostname) && port === localPort;
}

/** Whether a URL (a Bot Framework `serviceUrl`) points at this machine's loopback interface. */
export function isLoopbackUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && isLoopbackHostname(url.hostname);
  } catch {
    return false;
  }
}

type Next = (error?: unknown) => void;

/**
 * Local mode: answers 421 to any request whose `Host` is not a loopback name with the service's
 * port (DNS rebinding: a page on another name that resolves to 127.0.0.1 reaches the port, but
 * its requests still carry its own name).
 */
export function onlyLoopbackHosts() {
  return (req: restify.Request, res: restify.Response, next: Next) => {
    if (isLoopbackHostHeader(req.headers.host, req.socket?.localPort)) return next();
    res.header('cache-control', 'no-store');
    res.send(421, {
      error: 'misdirected',
      message: 'This local service answers only requests addressed to localhost, 127.0.0.1 or [::1] on its own port.',
    });
    return next(false);
  };
}

/**
 * Every route that takes a body takes JSON: any other type (form posts, multipart, text/plain —
 * what a web page can send without a CORS preflight) gets 415 before the body is read.
 */
export function jsonBodiesOnly() {
  return (req: restify.Request, res: restify.Response, next: Next) => {
    if (!BODY_METHODS.has(req.method ?? '')) return next();
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (type === JSON_MEDIA_TYPE) return next();
    res.header('cache-control', 'no-store');
    res.send(415, { error: 'unsupported_media_type', message: 'Send the request body as JSON (Content-Type: application/json).' });
    return next(false);
  };
}
