/**
 * An Adaptive Card the bot sent the ratepayer, shown on the case page as they saw it. The
 * renderer is loaded only when a transcript has a card, so the queue view stays small; the card
 * is inert here (its buttons and inputs were for the ratepayer): out of the tab order and the
 * accessibility tree, its buttons and choices drawn disabled, and each box they type in drawn as a
 * labelled placeholder, not an empty box (tester 7, finding 10: dead buttons and empty boxes looked
 * like things to press and fill in). What the ratepayer sent follows in the conversation.
 */
import { Caption1 } from '@fluentui/react-components';
import { useEffect, useRef, useState } from 'react';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** What stands for a box the ratepayer typed in (a text, number or date input, a text area). */
const ANSWER_BOX = "The ratepayer's box to type in";

/** Draws a rendered card as sent: buttons and choices disabled, typing boxes as placeholders. */
function markAsSent(card: HTMLElement): void {
  for (const control of card.querySelectorAll<HTMLButtonElement | HTMLInputElement | HTMLSelectElement>('button, select, input[type="radio"], input[type="checkbox"]')) {
    control.disabled = true;
  }
  for (const box of card.querySelectorAll<HTMLElement>('textarea, input:not([type="radio"]):not([type="checkbox"]):not([type="hidden"])')) {
    const shown = document.createElement('span');
    shown.textContent = ANSWER_BOX;
    shown.dataset.testid = 'answer-box';
    // A quiet dashed frame: a place in the form, visibly not an input of the tab's.
    shown.style.cssText = 'display:block;padding:4px 8px;border:1px dashed currentColor;border-radius:4px;font-style:italic;opacity:0.75';
    box.replaceWith(shown);
  }
}

/** Renders one card, read-only; falls back to the text the ratepayer's client would show. */
export function SentCard(props: { card: Record<string, unknown>; fallback: string }) {
  const host = useRef<HTMLDivElement>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    let cancelled = false;
    void import('adaptivecards')
      .then((AC) => {
        if (cancelled || !host.current) return;
        const card = new AC.AdaptiveCard();
        // Teams shows the card's Markdown; here its escapes are undone and the rest stays plain,
        // HTML-escaped text: what the ratepayer typed can never become markup in the tab.
        AC.AdaptiveCard.onProcessMarkdown = (text, result) => {
          result.outputHtml = escapeHtml(text.replace(/\\([\\`*_{}[\]()#+\-.!>|~])/g, '$1'));
          result.didProcess = true;
        };
        card.parse(props.card);
        const element = card.render();
        if (!element) throw new Error('nothing rendered');
        element.setAttribute('inert', '');
        markAsSent(element);
        host.current.replaceChildren(element);
      })
      .catch(() => !cancelled && setFailed(true));
    return () => {
      cancelled = true;
    };
  }, [props.card]);

  if (failed) return <Caption1 block>{props.fallback}</Caption1>;
  return <div ref={host} role="group" aria-label="Card sent to the ratepayer" data-testid="sent-card" />;
}
