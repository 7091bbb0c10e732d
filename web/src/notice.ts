/**
 * The page's footer: what this browser keeps of the chat, and "Clear this chat from this device"
 * (the POPIA notice of the page). On the first visit it is a banner of one short line and its two
 * actions ("Got it", "Clear…"); the line is the summary of a <details> disclosure that holds the
 * notice's full text (tester 9: open in full it took about 200 of a 360 × 740 phone's px in
 * isiZulu, and the page scrolled it off the top). Once read ("Got it") the banner folds to that one
 * line, and this device remembers it (NOTICE_READ in localStorage: a flag, no name, number or
 * message): later visits show the line only, and opening it shows the text and both actions again.
 * A native disclosure, so keyboards (Enter, Space) and screen readers ("collapsed", "expanded")
 * work it without script of ours. Clearing the chat forgets the flag: the next chat's visit shows
 * the banner again.
 */

/** The localStorage key of the flag "the notice was read on this device" (its name predates the banner; kept so a device that folded it keeps it folded). */
const NOTICE_READ = 'ratepayer-desk.webchat.noticeFolded';

function remember(read: boolean): void {
  try {
    if (read) localStorage.setItem(NOTICE_READ, '1');
    else localStorage.removeItem(NOTICE_READ);
  } catch {
    // Storage off (private mode): the banner shows again on the next visit, nothing worse.
  }
}

function wasRead(): boolean {
  try {
    return localStorage.getItem(NOTICE_READ) === '1';
  } catch {
    return false;
  }
}

/** Folds the banner to its line when it was read before on this device; "Got it" folds it and remembers that. */
export function setUpNotice(): void {
  const bar = document.getElementById('notice-bar');
  const details = document.getElementById('device-notice') as HTMLDetailsElement | null;
  if (!bar || !details) return;
  // The CSS hides the actions of a read notice while its text is folded (web/index.html).
  if (wasRead()) bar.dataset.read = '1';
  document.getElementById('kept-ok')?.addEventListener('click', () => {
    bar.dataset.read = '1';
    details.open = false;
    remember(true);
    // The pressed button is now hidden: focus goes to the summary, where the notice opens again.
    details.querySelector('summary')?.focus();
  });
}

/** Forgets the flag (with the chat: "Clear this chat from this device"). */
export function forgetNotice(): void {
  remember(false);
}
