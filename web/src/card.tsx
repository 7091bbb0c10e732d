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
  // A card's buttons one under the other, as wide as the card, their titles wrapping: side by side
  // (the SDK's default) two of them ran off a 360 px phone ("Leave the queue" to 368 px, isiZulu's
  // longer words to 384 px), and a title kept on one line is cut at the card's edge.
  actions: { actionsOrientation: 'vertical', actionAlignment: 'stretch', allowTitleToWrap: true, buttonSpacing: 8, maxActions: 5 },
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

/**
 * Ties each error the service wrote under a field (the templates' TextBlock `<field id>Error`,
 * bot/platform/cards/templates/intake.json and moreDetails.json) to its input for screen
 * readers: the input is `aria-invalid` and described by the error (WCAG 3.3.1), which the SDK does
 * only for its own client-side checks. Returns the inputs in error, in the card's order.
 */
function markFieldErrors(card: import('adaptivecards').AdaptiveCard): HTMLElement[] {
  const inError: HTMLElement[] = [];
  for (const input of card.getAllInputs()) {
    const error = input.id ? card.getElementById(`${input.id}Error`)?.renderedElement : undefined;
    // The field's own controls: a text box, or each radio of a choice (the SDK's control element is not public).
    const controls = [...(input.renderedElement?.querySelectorAll<HTMLElement>('input, textarea, select') ?? [])];
    if (!error || !controls.length) continue;
    if (!error.id) error.id = `${controls[0]!.id || input.id}-error`;
    for (const control of controls) {
      control.setAttribute('aria-invalid', 'true');
      const described = (control.getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean);
      if (!described.includes(error.id)) control.setAttribute('aria-describedby', [...described, error.id].join(' '));
    }
    inError.push(controls[0]!);
  }
  return inError;
}

/**
 * One card; `submit` posts an action's data with the inputs' values. `focusFirstError`: the card
 * answers a form the person has just sent (chat.tsx decides); its first field in error, if any,
 * then takes the focus, which also brings it on screen. `onTyped`: every field's value (by id)
 * each time one changes, for a form whose typing the page keeps (src/openForm.ts).
 */
export function AdaptiveCardView(props: {
  content: Record<string, unknown>;
  submit: (value: Record<string, unknown>) => void;
  fallback: string;
  focusFirstError?: () => boolean;
  onTyped?: (values: Record<string, string>) => void;
}) {
  const host = useRef<HTMLDivElement>(null);
  const submit = useRef(props.submit);
  submit.current = props.submit;
  const onTyped = useRef(props.onTyped);
  onTyped.current = props.onTyped;
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
        card.onInputValueChanged = () => {
          const values: Record<string, string> = {};
          for (const input of card.getAllInputs()) if (input.id) values[input.id] = input.value === undefined ? '' : String(input.value);
          onTyped.current?.(values);
        };
        card.parse(props.content);
        const element = card.render();
        if (!element) throw new Error('nothing rendered');
        // The SDK marks heading TextBlocks role="heading" without a level, which screen readers
        // need (ARIA 1.2): a card's headings sit under the page's h1, at level 2.
        element.querySelectorAll('[role="heading"]:not([aria-level])').forEach((h) => h.setAttribute('aria-level', '2'));
        // The card drawn again (sent: its buttons now disabled, web/src/chat.tsx) while focus was in
        // it: the focus goes to the card itself rather than to the page's start, so a keyboard or
        // screen reader stays where the person was.
        const hadFocus = host.current.contains(document.activeElement);
        host.current.replaceChildren(element);
        if (hadFocus && !host.current.contains(document.activeElement)) {
          element.tabIndex = -1;
          element.focus({ preventScroll: true });
        }
        const inError = markFieldErrors(card);
        // Focus, not only a scroll: Web Chat has no hook that focuses inside an attachment (its
        // useFocus knows the transcript and the send box) and its scroll options
        // (styleOptions.autoScrollSnapOnActivity) would pause on every message, not this one, and
        // move no focus. A screen reader then reads the field's label and its error, and the
        // browser scrolls Web Chat's transcript to the field (the "new messages" pill sits below the
        // list, web/index.html). Only when asked (the answer to this person's own
        // press), so a replayed or a first form never takes the focus.
        const first = inError[0];
        if (first && props.focusFirstError?.()) {
          first.focus({ preventScroll: true });
          first.scrollIntoView({ block: 'center' });
        }
      })
      .catch(() => !cancelled && setFailed(true));
    return () => {
      cancelled = true;
    };
  }, [props.content]);

  if (failed) return <p>{props.fallback}</p>;
  return <div ref={host} className="card" />;
}

/** Undoes the bot's Markdown escapes ("\\-" → "-"): the card's words as a person reads them. */
const unescapeMarkdown = (text: string) => text.replace(/\\([\\`*_{}[\]()#+\-.!>|~])/g, '$1');

/**
 * What a screen reader should hear of a card, in the card's own words (already in the ratepayer's
 * language): its text blocks, facts ("Reference: K7M-3PQ"), the names of its inputs (label, else
 * placeholder; a choice set's choices) and its buttons, in the card's order, one phrase each.
 * Walks the Adaptive Card 1.5 containers the templates use (Container, ColumnSet/Column,
 * ActionSet); hidden elements (isVisible false) and ones it does not know are passed over.
 */
export function cardSpeech(content: unknown): string[] {
  const said: string[] = [];
  const say = (text: unknown) => {
    if (typeof text === 'string' && text.trim()) said.push(unescapeMarkdown(text.trim()));
  };
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const element = node as Record<string, any>;
    if (element.isVisible === false) return;
    const type = String(element.type ?? '');
    if (type === 'TextBlock') say(element.text);
    else if (type === 'RichTextBlock') say((element.inlines ?? []).map((i: any) => (typeof i === 'string' ? i : i?.text ?? '')).join(''));
    else if (type === 'FactSet') for (const fact of element.facts ?? []) say([fact?.title, fact?.value].filter((part) => typeof part === 'string' && part).join(': '));
    else if (type.startsWith('Input.')) {
      say(element.label ?? element.placeholder ?? element.title);
      if (type === 'Input.ChoiceSet') for (const choice of element.choices ?? []) say(choice?.title);
    } else if (type.startsWith('Action.')) say(element.title);
    walk(element.body);
    walk(element.items);
    walk(element.columns);
    walk(element.actions);
  };
  walk(content);
  return said;
}
