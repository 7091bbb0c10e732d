/**
 * The supervisors' channel tab's configuration page (/tab/config, the manifest's
 * configurationUrl). Teams shows it when someone adds the tab to a channel: they pick the view to
 * pin (the whole programme, or one region), Teams' Save button is enabled (setValidityState), and
 * on Save the page gives Teams the tab's settings (setConfig: the supervisor view's URL, an id,
 * a suggested name). Outside Teams it says where it belongs.
 */
import { Body1, Caption1, MessageBar, MessageBarBody, Radio, RadioGroup, Spinner, Title2, makeStyles, tokens } from '@fluentui/react-components';
import { useEffect, useRef, useState } from 'react';
import { connectConfigHost, type ConfigHost } from '../host.js';
import { channelTabSettings } from '../route.js';
import type { TabConfig } from '../../../bot/platform/contract/tabApi.js';

const useStyles = makeStyles({
  page: { maxWidth: '560px', padding: '24px', display: 'flex', flexDirection: 'column', gap: '12px' },
  flush: { margin: 0 },
  note: { color: tokens.colorNeutralForeground3 },
});

const ALL = 'all';
/** channelTabSettings' entityId: `supervisor-<region code>` or `supervisor-all`. */
const ENTITY_PREFIX = 'supervisor-';

/** The configuration page. */
export function ChannelTabConfig(props: { config: TabConfig }) {
  const styles = useStyles();
  const { config } = props;
  const [host, setHost] = useState<ConfigHost | 'none'>();
  const [choice, setChoice] = useState(ALL);
  // The save handler is registered once; it reads the choice at the moment Save is pressed.
  const chosen = useRef(choice);
  chosen.current = choice;

  useEffect(() => {
    let current = true;
    void connectConfigHost().then((found) => {
      if (!current) return;
      setHost(found ?? 'none');
      if (!found) return;
      found.onSave(async () => {
        const region = chosen.current === ALL ? undefined : config.regions.find((r) => r.code === chosen.current);
        await found.setConfig(channelTabSettings(window.location.origin, region));
      });
      // A view is always chosen (the whole programme unless another is picked): Save can be pressed at once.
      found.setValid(true);
      // Reconfiguring (the manifest allows it): start from the view the tab shows now.
      void found.savedEntityId().then((entityId) => {
        const code = entityId?.startsWith(ENTITY_PREFIX) ? entityId.slice(ENTITY_PREFIX.length) : undefined;
        if (current && code && config.regions.some((r) => r.code === code)) setChoice(code);
      });
    });
    return () => {
      current = false;
    };
  }, [config]);

  return (
    <main className={styles.page}>
      <Title2 as="h1" className={styles.flush}>
        Supervisors&apos; queue view
      </Title2>
      <Body1 as="p" className={styles.flush}>
        This tab shows the supervisor view of {config.programme.name} in this channel: every queue, every agent, the charts and the CSV export. Only
        supervisors see it; agents who open it see their own desk.
      </Body1>
      {host === undefined && <Spinner size="small" label="Connecting to Teams…" />}
      {host === 'none' && (
        <MessageBar intent="warning">
          <MessageBarBody>
            Teams opens this page when a channel tab is added: in a team&apos;s channel, choose + (Add a tab), then Ratepayer Desk. The supervisor view
            itself is at <a href="index.html#/supervisor">the tab&apos;s supervisor view</a>.
          </MessageBarBody>
        </MessageBar>
      )}
      <RadioGroup
        aria-labelledby="view-label"
        value={choice}
        disabled={host === undefined || host === 'none'}
        onChange={(_e, data) => setChoice(data.value)}
      >
        <Body1 as="p" id="view-label" className={styles.flush}>
          <strong>Show in this channel</strong>
        </Body1>
        <Radio value={ALL} label="The whole programme: all regions" />
        {config.regions.map((r) => (
          <Radio key={r.code} value={r.code} label={`${r.name} only`} />
        ))}
      </RadioGroup>
      <Caption1 className={styles.note}>
        For the live summary card, wait alerts and the end-of-session report in the channel itself, also send @Ratepayer Desk monitor there.
      </Caption1>
    </main>
  );
}
