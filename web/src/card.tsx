/**
 * Adaptive Cards in the page: Web Chat's minimal bundle has no card renderer, so a card is
 * rendered with the `adaptivecards` SDK (loaded when the first card arrives, not before the
 * first message). Card text is plain text: the bot's Markdown escapes are undone and the rest is
 * HTML-escaped, so what anyone typed can never become markup. A submit goes back as Web Chat's
 * post-back (a message with `value`, not shown as a bubble), as Teams sends an Action.Submit.
 */
import { useEffect, useRef, useState } from 'react';

/** Colours that keep WCAG 2.1 AA contrast (4.5:1) on the page's white: the SDK's defaults do not (its green is 3:1). */
const colour = (value: string) => ({ default: value, subtle: value });
const HOST_CONFIG = {
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
  containerStyles: {
    default: {
      backgroundColor: '#FFFFFF',
      foregroundColors: {
        default: colour('#1B1B1B'),
        dark: colour('#1B1B1B'),
        light: colour('#4A4A4A'),
        accent: colour('#005A9E'),
        good: colour('#0B6A0B'),
        warning: colour('#7A4D00'),
        attention: colour('#A4262C'),
      },
    },
    emphasis: {
      backgroundColor: '#F3F2F1',
      foregroundColors: {
        default: colour('#1B1B1B'),
        dark: colour('#1B1B1B'),
        light: colour('#404040'),
        accent: colour('#004E8C'),
        good: colour('#0B5A0B'),
        warning: colour('#6A4300'),
        attention: colour('#8E1F25'),
      },
    },
  },
};

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** One card; `submit` posts an action's data with the inputs' values. */
export function AdaptiveCardView(props: { content: Record<string, unknown>; submit: (value: Record<string, unknown>) => void; fallback: string }) {
  const host = useRef<HTMLDivElement>(null);
  const submit = useRef(props.submit);
  submit.current = props.submit;
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    let cancelled = false;
    void import('adaptivecards')
      .then((AC) => {
        if (cancelled || !host.current) return;
        AC.AdaptiveCard.onProcessMarkdown = (text, result) => {
          result.outputHtml = escapeHtml(text.replace(/\\([\\`*_{}[\]()#+\-.!>|~])/g, '$1'));
          result.didProcess = true;
        };
        const card = new AC.AdaptiveCard();
        card.hostConfig = new AC.HostConfig(HOST_CONFIG);
        card.onExecuteAction = (action) => {
          if (action instanceof AC.SubmitAction || action instanceof AC.ExecuteAction) {
            const data = action.data;
            submit.current(data && typeof data === 'object' ? { ...(data as Record<string, unknown>) } : {});
          }
        };
        card.parse(props.content);
        const element = card.render();
        if (!element) throw new Error('nothing rendered');
        // The SDK marks heading TextBlocks role="heading" without a level, which screen readers
        // need (ARIA 1.2): a card's headings sit under the page's h1, at level 2.
        element.querySelectorAll('[role="heading"]:not([aria-level])').forEach((h) => h.setAttribute('aria-level', '2'));
        host.current.replaceChildren(element);
      })
      .catch(() => !cancelled && setFailed(true));
    return () => {
      cancelled = true;
    };
  }, [props.content]);

  if (failed) return <p>{props.fallback}</p>;
  return <div ref={host} className="card" />;
}
