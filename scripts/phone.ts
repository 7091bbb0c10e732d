/**
 * `npm run phone -- +27821234567`: chat as a WhatsApp user in this terminal, against `npm start`
 * (its Communication Services stand-in, devTools/acs.ts, which delivers what you type to the
 * service as Event Grid would, and shows what the service sends through the ACS REST API).
 *
 * Type a message and press Enter. A message with buttons or a list shows its choices as
 * "[c0] Title" (labels by place): type c0 to press one of the latest message with choices (the
 * stand-in sends the id and title the service gave that button, as WhatsApp does), or its number,
 * as you would type it on a phone.
 * "/photo <file> [caption]" sends a photo; "/quit" (or Ctrl-C) leaves. Text messages (SMS) to
 * the same number are shown too; "/sms <text>" sends one (STOP, STATUS <reference>).
 */
import { readFile } from 'node:fs/promises';
import readline from 'node:readline';

const number = process.argv[2] ?? '';
const base = (process.env.ACS_STANDIN_URL ?? `http://127.0.0.1:${process.env.ACS_STANDIN_PORT ?? 56160}`).replace(/\/+$/, '');

if (!/^\+\d{8,15}$/.test(number)) {
  console.error('Usage: npm run phone -- +27821234567   (a number in international form, with its +)');
  process.exit(2);
}

let seen = 0;
async function poll(): Promise<void> {
  try {
    const response = await fetch(`${base}/_phone/${encodeURIComponent(number)}/inbox?after=${seen}`);
    const messages = (await response.json()) as { n: number; channel: string; text: string }[];
    saidNoAnswer = false;
    for (const m of messages) {
      seen = Math.max(seen, m.n);
      const label = m.channel === 'sms' ? 'SMS' : 'City';
      process.stdout.write(`\n${label} ▸ ${m.text.replace(/\n/g, '\n       ')}\n`);
    }
    if (messages.length) rl.prompt(true);
  } catch {
    noAnswer();
  }
}

// Said once until the stand-in answers again (the inbox is polled twice a second).
let saidNoAnswer = false;
const noAnswer = (): void => {
  if (saidNoAnswer) return;
  saidNoAnswer = true;
  process.stdout.write(`\n(no answer from ${base}: is \`npm start\` running? If it printed another stand-in address, run this with ACS_STANDIN_URL=<that address>)\n`);
};

async function post(path: string, body: unknown): Promise<void> {
  let status: number | undefined;
  try {
    const response = await fetch(`${base}/_phone/${encodeURIComponent(number)}/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    ({ status } = (await response.json()) as { status?: number });
  } catch {
    // Nothing listening there (npm start not running, or its stand-in on another port): say so, do not crash.
    return noAnswer();
  }
  if (status !== 200) process.stdout.write(`(the service answered ${status})\n`);
}

const rl = readline.createInterface({ input: process.stdin, output: process.stdout, prompt: 'You ▸ ' });
console.log(`WhatsApp as ${number} (stand-in at ${base}). Say "hi" to start; /quit to leave.`);
rl.prompt();
rl.on('line', (line) => {
  void (async () => {
    const text = line.trim();
    if (text === '/quit') return rl.close();
    if (text.startsWith('/photo ')) {
      const [, file, ...caption] = text.split(/\s+/);
      const bytes = await readFile(file!).catch(() => undefined);
      if (!bytes) process.stdout.write(`(cannot read ${file})\n`);
      else await post('photo', { base64: bytes.toString('base64'), caption: caption.join(' ') });
    } else if (text.startsWith('/sms ')) await post('sms', { text: text.slice(5) });
    else if (/^c\d+$/.test(text)) await post('messages', { choiceId: text });
    else if (text) await post('messages', { text });
    rl.prompt();
  })();
});
rl.on('close', () => process.exit(0));
const timer = setInterval(() => void poll(), 500);
timer.unref();
process.stdin.on('end', () => clearInterval(timer));
