/**
 * The page's footer: what this browser keeps of the chat, and "Clear this chat from this device"
 * (tester 7, finding 14: always open, it took about 130 of a phone's 740 px). It is a <details>
 * disclosure, open on the first visit; once read ("Got it", or its summary pressed) it folds to
 * its one-line summary, and this device remembers that (NOTICE_FOLDED in localStorage: a flag, no
 * name, number or message), so later visits show the summary only. The summary always opens it
 * again: a native disclosure, so keyboards (Enter, Space) and screen readers ("collapsed",
 * "expanded") work it without script of ours. Clearing the chat forgets the flag too: the next
 * chat's visit shows the notice open again.
 */

/** The localStorage key of the flag "the notice was read and folded on this device". */
const NOTICE_FOLDED = 'ratepayer-desk.webchat.noticeFolded';

function remember(folded: boolean): void {
  try {
    if (folded) localStorage.setItem(NOTICE_FOLDED, '1');
    else localStorage.removeItem(NOTICE_FOLDED);
  } catch {
    // Storage off (private mode): it opens again on the next visit, nothing worse.
  }
}

function wasFolded(): boolean {
  try {
    return localStorage.getItem(NOTICE_FOLDED) === '1';
  } catch {
    return false;
  }
}

/** Folds the notice when it was folded before on this device, and keeps each later choice. */
export function setUpNotice(): void {
  const details = document.getElementById('device-notice') as HTMLDetailsElement | null;
  if (!details) return;
  if (wasFolded()) details.open = false;
  // Fired for every change, the summary's and ours: the last state is the one remembered.
  details.addEventListener('toggle', () => remember(!details.open));
  document.getElementById('kept-ok')?.addEventListener('click', () => {
    details.open = false;
    // The pressed button is now hidden: focus goes to the summary, where the notice opens again.
    details.querySelector('summary')?.focus();
  });
}

/** Forgets the flag (with the chat: "Clear this chat from this device"). */
export function forgetNotice(): void {
  remember(false);
}
