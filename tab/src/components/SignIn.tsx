/** The local sign-in: pick a member of staff from the definition (local mode only). */
import { Body1, Button, Caption1, MessageBar, MessageBarBody, Spinner, Subtitle1, Title2, makeStyles, tokens } from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import { publicApi } from '../api.js';
import type { LocalStaff, TabConfig } from '../../../bot/platform/contract/tabApi.js';
import { staffRoleLabel } from '../../../bot/platform/contract/staffWords.js';

const useStyles = makeStyles({
  page: { maxWidth: '560px', margin: '0 auto', padding: '48px 24px', display: 'flex', flexDirection: 'column', gap: '16px' },
  list: { display: 'flex', flexDirection: 'column', gap: '8px', listStyle: 'none', padding: 0, margin: 0 },
  person: { width: '100%', justifyContent: 'flex-start', textAlign: 'left', padding: '12px 16px' },
  who: { display: 'flex', flexDirection: 'column', alignItems: 'flex-start', gap: '2px' },
  note: { color: tokens.colorNeutralForeground3 },
  flush: { margin: 0 },
});

/** What a person works, in one line: their queues, then their back-office teams. */
function describe(person: LocalStaff): string {
  return [...person.skillNames, ...(person.backOfficeTeamNames.length ? [`Back office: ${person.backOfficeTeamNames.join(', ')}`] : [])].join(' · ');
}

/** The sign-in page. */
export function SignIn(props: { config: TabConfig; onSignedIn: (token: string) => void }) {
  const styles = useStyles();
  const [staff, setStaff] = useState<LocalStaff[]>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState<string>();

  useEffect(() => {
    publicApi.localStaff().then((r) => setStaff(r.staff), (e: Error) => setError(`The list of staff could not be loaded: ${e.message}`));
  }, []);

  const choose = async (person: LocalStaff) => {
    setBusy(person.id);
    setError(undefined);
    try {
      const { token } = await publicApi.localToken(person.id);
      props.onSignedIn(token);
    } catch (e) {
      setError(`Sign-in as ${person.name} failed: ${(e as Error).message}`);
      setBusy(undefined);
    }
  };

  return (
    <main className={styles.page}>
      <Title2 as="h1" className={styles.flush}>
        Ratepayer Desk
      </Title2>
      <Subtitle1 as="p" className={styles.flush}>
        {props.config.programme.name}
      </Subtitle1>
      <Body1 as="p" className={styles.flush}>
        This is a local run, outside Teams. Choose who to sign in as: in Teams you are signed in with your own account.
      </Body1>
      {error && (
        <MessageBar intent="error">
          <MessageBarBody>{error}</MessageBarBody>
        </MessageBar>
      )}
      {!staff && !error && <Spinner label="Loading staff…" />}
      {staff && (
        <ul className={styles.list} aria-label="Staff you can sign in as">
          {staff.map((person) => (
            <li key={person.id}>
              {/* The button's name is its visible text (no aria-label): what a speech-input user reads is what they say. */}
              <Button className={styles.person} onClick={() => void choose(person)} disabled={!!busy}>
                <span className={styles.who}>
                  <Body1>
                    Sign in as <strong>{person.name}</strong> — {staffRoleLabel(person)}
                  </Body1>
                  <Caption1 className={styles.note}>{person.role === 'supervisor' ? 'All queues' : describe(person)}</Caption1>
                </span>
                {busy === person.id && <Spinner size="tiny" />}
              </Button>
            </li>
          ))}
        </ul>
      )}
    </main>
  );
}
